import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/services/ports.ts';

const stampede = fileURLToPath(new URL('../../bin/stampede', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI, as a user would, with `env` replacing the environment. */
function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [stampede, ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

interface DoctorJson {
  ok: boolean;
  checks: Array<{ name: string; ok: boolean; required: boolean; detail: string; fix?: string }>;
}

describe('stampede doctor', () => {
  it('finds everything required on this machine and exits 0', async () => {
    const run = await runCli(['doctor']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok\s+toxiproxy-server\s+v2\.12\.0/m);
    expect(run.stdout).toMatch(/^ok\s+redis\s+redis:\/\//m);
    expect(run.stdout).toContain('ready: everything required is here');
  });

  it('prints the same checks as JSON', async () => {
    const run = await runCli(['doctor', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as DoctorJson;
    expect(report.ok).toBe(true);
    // Exactly these: no check for a tool the project no longer runs.
    expect(report.checks.map((check) => check.name)).toEqual(['node', 'go', 'toxiproxy-server', 'redis', 'redis-server', 'mosquitto', 'mosquitto binary']);
    expect(report.checks.filter((check) => check.required).map((check) => check.name).sort()).toEqual(['node', 'redis', 'toxiproxy-server']);
  });

  it('exits 3 and says what to do when toxiproxy-server is missing and Redis cannot be had', async () => {
    const env = {
      HOME: process.env.HOME,
      PATH: '/nonexistent', // no redis-server, no toxiproxy-server
      XDG_CACHE_HOME: '/nonexistent-cache',
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    };
    const run = await runCli(['doctor', '--json'], env);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as DoctorJson;
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((check) => check.required && !check.ok);
    expect(failed.map((check) => check.name).sort()).toEqual(['redis', 'toxiproxy-server']);
    for (const check of failed) expect(check.fix).toMatch(/\S/);
  });

  it('reports a TOXIPROXY_BIN that names no binary', async () => {
    const run = await runCli(['doctor'], { ...process.env, TOXIPROXY_BIN: '/nonexistent/toxiproxy-server' });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/MISSING\s+toxiproxy-server\s+TOXIPROXY_BIN=\/nonexistent\/toxiproxy-server is not an executable file/);
  });
});
