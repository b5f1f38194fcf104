import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/errors.ts';
import { startChild } from '../../src/services/child.ts';
import { liveChildCount } from '../../src/services/child-registry.ts';
import { freePort } from '../../src/services/ports.ts';

/** Alive and not a zombie waiting to be reaped (on Linux, where /proc tells). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Polls until `pid` is gone or `ms` pass; returns whether it went. */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  return !isAlive(pid);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const node = process.execPath;

describe('managed children', () => {
  it('starts, waits until ready, and stops with SIGTERM', async () => {
    const port = await freePort();
    const child = await startChild({
      name: 'listener',
      command: node,
      args: ['-e', `require('net').createServer().listen(${port}, '127.0.0.1')`],
      ready: () => accepts(port),
    });
    expect(await accepts(port)).toBe(true);
    expect(await child.stop()).toMatchObject({ signal: 'SIGTERM' });
    expect(isAlive(child.pid)).toBe(false);
    expect(await child.stop()).toMatchObject({ signal: 'SIGTERM' }); // stopping twice is harmless
  });

  it('kills a child that ignores SIGTERM once the grace period ends', async () => {
    // The child says it is ready only after its SIGTERM handler is in place.
    const marker = join(mkdtempSync(join(tmpdir(), 'stampede-child-')), 'armed');
    const child = await startChild({
      name: 'stubborn',
      command: node,
      args: ['-e', `process.on('SIGTERM', () => {}); require('fs').writeFileSync(${JSON.stringify(marker)}, ''); setInterval(() => {}, 1000)`],
      ready: async () => existsSync(marker),
      graceMs: 300,
    });
    expect(await child.stop()).toMatchObject({ signal: 'SIGKILL' });
    rmSync(join(marker, '..'), { recursive: true, force: true });
  });

  it('fails clearly, leaving nothing running, when the child never gets ready', async () => {
    const before = liveChildCount();
    const error = await startChild({ name: 'never-ready', command: 'sleep', args: ['30'], ready: async () => false, readyTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toMatch(/never-ready did not become ready within 300 ms/);
    expect(liveChildCount()).toBe(before);
  });

  it('reports a child that exits while starting, with its last words', async () => {
    const error = await startChild({ name: 'quitter', command: node, args: ['-e', "console.error('port already taken'); process.exit(1)"], ready: async () => false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(String((error as UnavailableError).hint)).toContain('port already taken');
  });

  it('reports a command that cannot start', async () => {
    await expect(startChild({ name: 'ghost', command: '/nonexistent/ghost', args: [], ready: async () => true })).rejects.toThrow(/could not start ghost/);
  });

  it('does not outlive a parent that is SIGKILLed (the watchdog stops it)', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/orphan-parent.ts', import.meta.url));
    const parent = spawn(node, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const childPid = await new Promise<number>((resolve, reject) => {
        parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
        parent.once('exit', () => reject(new Error('parent exited early')));
      });
      expect(isAlive(childPid)).toBe(true);
      parent.kill('SIGKILL');
      expect(await goneWithin(childPid, 10_000)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});

describe('the registry', () => {
  it('kills children with SIGKILL on a normal exit of the parent', async () => {
    // The child notes any SIGTERM it gets: the watchdog's would, the exit handler's SIGKILL cannot.
    const marker = join(mkdtempSync(join(tmpdir(), 'stampede-exit-')), 'got-term');
    const childScript = `trap 'echo > ${marker}' TERM; while :; do sleep 0.1; done`;
    const script = `
      const { startChild } = await import(${JSON.stringify(new URL('../../src/services/child.ts', import.meta.url).href)});
      const c = await startChild({ name: 's', command: 'sh', args: ['-c', ${JSON.stringify(childScript)}], ready: async () => true });
      console.log(c.pid);
      process.exit(0);
    `;
    const pid = await new Promise<number>((resolve, reject) =>
      execFile(node, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 20_000 }, (error, stdout) => (error ? reject(error) : resolve(Number(stdout.trim())))),
    );
    expect(pid).toBeGreaterThan(0);
    expect(await goneWithin(pid, 10_000)).toBe(true);
    expect(existsSync(marker)).toBe(false);
    rmSync(join(marker, '..'), { recursive: true, force: true });
  });
});
