/**
 * Ctrl-C in the middle of a storm, through the real CLI: it ends with exit 130, the fault in force at the time is
 * healed (and the run's proxies removed from Toxiproxy), every process it started is gone, and summary.json is
 * written with a verdict that is not `pass`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToxiproxy, type ToxiproxyServer } from '../../src/services/toxiproxy-server.ts';
import { readSummary, runDir } from '../helpers/cli.ts';
import { descendantsOf, isAlive, startCli, stopAll } from './progress-child.ts';

describe('stampede run stopped by Ctrl-C', () => {
  let toxiproxy: ToxiproxyServer;
  beforeAll(async () => {
    // Our own Toxiproxy, given to the run with --toxiproxy, so what the run left in it can be read after it exits.
    toxiproxy = await startToxiproxy();
  });
  afterAll(async () => {
    stopAll();
    await toxiproxy?.stop();
  });

  it('heals, stops its processes, writes the partial report and exits 130', async () => {
    const out = runDir('interrupted');
    const cli = startCli(['run', 'storm', '--cameras', '40', '--users', '20', '--seed', '7', '--duration', '60', '--out', out, '--toxiproxy', toxiproxy.url]);
    // Non-terminal stderr: plain progress lines. Wait for one that shows a fault in force, then press Ctrl-C.
    const line = await cli.waitForLine(/left \|.*\| faults /, 60_000);
    expect(line).toMatch(/^\[\S+\] \d+s left \| cameras \d+\/40 \| users \d+\/20 \| events \d+ acked \(\d+\/s\) \| checked \d+ \| leaks (\d+|- \(judging\)) \| faults /);
    const started = descendantsOf(cli.child.pid!);
    expect(started.length).toBeGreaterThan(0);
    cli.child.kill('SIGINT');
    const code = await Promise.race([cli.exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 60_000))]);

    expect(code, cli.stderr().slice(-3000)).toBe(130);
    expect(cli.stderr()).toContain('stampede: stopping: healing faults');
    // Watchdog shells notice their child is gone on their next one-second poll; give them a few.
    expect(await survivors(started, 5_000)).toEqual([]);

    const proxies = (await (await fetch(`${toxiproxy.url}/proxies`)).json()) as Record<string, { toxics: unknown[] }>;
    expect(Object.values(proxies).flatMap((proxy) => proxy.toxics)).toEqual([]);
    expect(Object.keys(proxies)).toEqual([]);

    const summary = readSummary(out);
    expect(summary.verdict).not.toBe('pass');
    expect(summary.interrupted).toBe('stopped by Ctrl-C');
    expect(summary.faults.length).toBeGreaterThan(0);
    expect(summary.faults.filter((fault) => fault.heal === null)).toEqual([]);
    const journal = readFileSync(join(out, 'journal.ndjson'), 'utf8').trim().split('\n').map((row) => JSON.parse(row) as { type: string; action?: string });
    const faults = journal.filter((record) => record.type === 'fault');
    expect(faults.filter((record) => record.action === 'heal').length).toBe(faults.filter((record) => record.action === 'start').length);
  }, 150_000);
});

/** The processes still alive after waiting up to `graceMs` for them to go. */
async function survivors(pids: number[], graceMs: number): Promise<number[]> {
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(isAlive);
}
