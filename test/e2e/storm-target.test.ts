/**
 * `stampede run --target`: a backend Stampede did not start (here the reference cloud run on its own, as a user
 * would run theirs), stormed through a client proxy only. The admin token goes in and never comes out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/services/ports.ts';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';
import { spawnCloudCli, type CloudProcess } from '../helpers/cloud.ts';

const TOKEN = 'admin-token-that-must-never-be-written-4f2c9e';
let target: CloudProcess;

beforeAll(async () => {
  target = await spawnCloudCli(['--admin-token', TOKEN]);
});
afterAll(async () => {
  target?.child.kill('SIGTERM');
  await target?.exited;
});

describe('stampede run --target', () => {
  it('storms a running backend, judges it, and never writes its admin token anywhere', async () => {
    const out = runDir('target');
    const result = await stampede(['run', 'storm', '--target', target.url, '--admin-token', TOKEN, '--cameras', '60', '--users', '30', '--duration', '20', '--seed', '5', '--workers', '1', '--out', out]);
    const summary = readSummary(out);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(summary.verdict).toBe('pass');
    expect(summary.target).toBe(target.url);
    expect(summary.checked.total).toBeGreaterThan(0);
    // Only the client path exists in front of someone else's backend: the storm's cache fault is skipped, said so.
    expect(result.stderr).toMatch(/skipped: this target has no cache proxy/);
    expect(summary.faults.map((fault) => fault.path)).not.toContain('cache');
    expect(summary.command).toContain('--admin-token <token>');
    for (const file of readdirSync(out)) expect(readFileSync(join(out, file), 'utf8'), file).not.toContain(TOKEN);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  }, 120_000);

  it('refuses a target that is not on this machine before sending it anything', async () => {
    const result = await stampede(['run', '--target', 'http://192.0.2.10:8080', '--admin-token', TOKEN]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not on this machine.*--allow-remote/);
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('says in one line that an unreachable target cannot be reached', async () => {
    const out = runDir('unreachable');
    // A port nothing listens on (not 9 or 1: fetch blocks those by policy, which is another message).
    const port = await freePort();
    const result = await stampede(['run', '--target', `http://127.0.0.1:${port}`, '--admin-token', TOKEN, '--duration', '10', '--out', out]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`cannot reach the target at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stderr).not.toContain(TOKEN);
  });
});
