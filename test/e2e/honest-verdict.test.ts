/**
 * Never a false pass: a run that did not test what it set out to test ends in error (exit 3), its summary says
 * why, and so does the first line on the console. Each case breaks one thing a run depends on, at a moment the
 * run reached (a record in its journal), through the real CLI: the target killed mid-run (someone else's, and
 * the embedded one), Toxiproxy killed under an outage, a target that welcomes one camera of the fleet, a target
 * whose every ownership change fails.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ToxiproxyClient } from '../../src/chaos/toxiproxy.ts';
import { startToxiproxy, type ToxiproxyServer } from '../../src/services/toxiproxy-server.ts';
import { readSummary, runDir, stampede, type CliResult } from '../helpers/cli.ts';
import { spawnCloudCli, type CloudProcess } from '../helpers/cloud.ts';
import { startMisbehavingFront, type RunningFront } from '../helpers/misbehaving-front.ts';
import { childrenOf, proxiesOnce, whenJournalHas } from '../helpers/run-events.ts';

const TOKEN = 'admin-token-for-honest-verdicts-7d1e';
const FLEET = ['--cameras', '30', '--users', '15', '--duration', '16', '--seed', '3'];

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function cloud(): Promise<CloudProcess> {
  const started = await spawnCloudCli(['--admin-token', TOKEN]);
  cleanups.push(async () => {
    started.child.kill('SIGKILL');
    await started.exited;
  });
  return started;
}

async function front(upstream: string, options: Parameters<typeof startMisbehavingFront>[1]): Promise<RunningFront> {
  const started = await startMisbehavingFront(upstream, options);
  cleanups.push(() => started.stop());
  return started;
}

/** Runs the CLI, handing its process to `during` while it goes. */
async function run(args: string[], during?: (child: ChildProcess, over: Promise<CliResult>) => Promise<void>): Promise<CliResult> {
  let child!: ChildProcess;
  const over = stampede(args, { timeoutMs: 150_000, onSpawn: (spawned) => (child = spawned) });
  if (during) await during(child, over);
  return over;
}

/** The first line of the console summary, which must say why the run is not a pass. */
function headline(result: CliResult): string {
  return result.stdout.split('\n')[0]!;
}

function expectError(result: CliResult, out: string): void {
  expect(result.code, `${result.stdout}\n${result.stderr.slice(-2000)}`).toBe(3);
  expect(readSummary(out).verdict).toBe('error');
  expect(headline(result)).toMatch(/^ERROR: /);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?$/m); // no stack trace
}

describe('a run that did not test what it set out to never passes', () => {
  it('someone else\'s target killed mid-run: error, naming the dead target', async () => {
    const target = await cloud();
    const out = runDir('target-killed');
    const result = await run(['run', 'storm', '--target', target.url, '--admin-token', TOKEN, ...FLEET, '--out', out], async (_child, over) => {
      await whenJournalHas(join(out, 'journal.ndjson'), (r) => r.type === 'phase' && r.name === 'storm', over);
      target.child.kill('SIGKILL');
    });
    expectError(result, out);
    const summary = readSummary(out);
    const dead = new RegExp(`^the target at ${target.url.replace(/\./g, '\\.')} went down during the run: 3 health probes in a row failed`);
    expect(summary.shortfalls[0]).toMatch(dead);
    expect(summary.reasons[0]).toMatch(dead);
    expect(headline(result)).toContain(`ERROR: the target at ${target.url} went down during the run`);
    // Said while the run went, not only at its end.
    expect(result.stderr).toMatch(/stampede: the target at .* went down during the run/);
    expect(summary.shortfalls.some((s) => /^phase (settle|drain): on average \d+% of the 30 cameras were connected/.test(s))).toBe(true);
  }, 180_000);

  it('the embedded cloud killed mid-run: error, naming it', async () => {
    const out = runDir('embedded-killed');
    const result = await run(['run', 'storm', ...FLEET, '--out', out], async (child, over) => {
      await whenJournalHas(join(out, 'journal.ndjson'), (r) => r.type === 'phase' && r.name === 'storm', over);
      const clouds = childrenOf(child.pid!).filter((p) => p.command.includes('bin/stampede target'));
      expect(clouds).toHaveLength(1);
      process.kill(clouds[0]!.pid, 'SIGKILL');
    });
    expectError(result, out);
    const summary = readSummary(out);
    expect(summary.reasons[0]).toMatch(/^the reference cloud \(stampede target\) went down during the run: its process exited \(SIGKILL\)/);
    expect(headline(result)).toMatch(/^ERROR: the reference cloud \(stampede target\) went down during the run/);
  }, 180_000);

  it('Toxiproxy killed under the outage: error naming it; the outage\'s heal failed and the next fault was never applied', async () => {
    let toxiproxy: ToxiproxyServer | undefined = await startToxiproxy();
    cleanups.push(() => toxiproxy?.stop());
    const out = runDir('toxiproxy-killed');
    const client = new ToxiproxyClient(toxiproxy.url);
    const result = await run(['run', 'storm', '--toxiproxy', toxiproxy.url, ...FLEET, '--out', out], async (child) => {
      // Under the outage: the run's client proxy disabled in Toxiproxy now (its journal says so only later, in time order).
      await proxiesOnce(client, (proxies) => proxies.some((p) => p.name.startsWith(`stampede-pid${child.pid}-`) && p.name.endsWith('-client') && !p.enabled), 'the outage');
      process.kill(toxiproxy!.pid!, 'SIGKILL');
      await toxiproxy!.exited;
      toxiproxy = undefined;
    });
    expectError(result, out);
    const summary = readSummary(out);
    expect(summary.shortfalls).toContainEqual(expect.stringMatching(/^Toxiproxy at http:\/\/127\.0\.0\.1:\d+ went down during the run: 3 health probes in a row failed/));
    expect(headline(result)).toMatch(/^ERROR: Toxiproxy at http:\/\/127\.0\.0\.1:\d+ went down during the run/);
    // The outage was applied (Toxiproxy confirmed it) but never healed: said so, not a silent null.
    const outage = summary.faults.find((fault) => fault.fault === 'outage');
    expect(outage).toMatchObject({ heal: null, state: 'heal-failed' });
    expect(summary.shortfalls).toContainEqual(expect.stringMatching(/^fault f1-outage \(phase outage, fault 1\) was applied but its heal failed: Toxiproxy/));
    // The storm's cache latency was never added: never listed as applied (no band in the report), and said.
    expect(summary.faults.map((fault) => fault.fault)).not.toContain('latency');
    expect(summary.shortfalls).toContainEqual(expect.stringMatching(/^fault f2-latency \(phase storm, fault 1\) was never applied: Toxiproxy/));
    // Reconnect figures after an outage whose heal is unknown are unknown, not "everyone came back" nor "nobody did".
    expect(summary.reconnect).toMatchObject({ outages: 0, unhealed: 1 });
    expect(result.stdout).toMatch(/reconnect unknown after 1 outage whose heal was never confirmed/);
  }, 180_000);

  it('a target that welcomes one camera of the fleet and refuses the rest: error, too little of the fleet connected', async () => {
    const target = await cloud();
    const partial = await front(target.url, { welcomeOnly: 1 });
    const out = runDir('one-camera');
    const result = await run(['run', 'storm', '--target', partial.url, '--admin-token', TOKEN, ...FLEET, '--out', out]);
    expect(partial.refused()).toBeGreaterThan(29);
    expectError(result, out);
    const summary = readSummary(out);
    expect(summary.leaks.total).toBe(0);
    expect(summary.checked.total).toBeGreaterThan(0); // what it did see was fine: still not a pass
    expect(summary.shortfalls[0]).toMatch(/^phase warm-up: on average [0-9]% of the 30 cameras were connected \(at least 30% needed\)$/);
    expect(summary.shortfalls).toContain('only 1 of 30 cameras had an event acknowledged (at least 24 needed)');
    expect(headline(result)).toMatch(/^ERROR: phase warm-up: on average [0-9]% of the 30 cameras were connected/);
  }, 180_000);

  it('a target whose every ownership change fails: error, the planned access changes were not applied', async () => {
    const target = await cloud();
    const failing = await front(target.url, { failAccessChanges: true });
    const out = runDir('changes-fail');
    const result = await run(['run', 'storm', '--target', failing.url, '--admin-token', TOKEN, ...FLEET, '--out', out]);
    expect(failing.failedChanges()).toBe(3);
    expectError(result, out);
    const summary = readSummary(out);
    expect(summary.shortfalls).toEqual([
      'only 0 of 3 planned access changes were applied (at least 3 needed; 3 failed): the time-aware part of the oracle was barely exercised',
    ]);
    expect(headline(result)).toMatch(/^ERROR: only 0 of 3 planned access changes were applied/);
  }, 180_000);
});
