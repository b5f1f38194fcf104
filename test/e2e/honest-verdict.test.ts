/**
 * Never a false pass: a run that did not test what it set out to test ends in error (exit 3), its summary says
 * why, and so does the first line on the console. Each case breaks one thing a run depends on, at a moment the
 * run reached (a record in its journal), through the real CLI: the target killed mid-run (someone else's, and
 * the embedded one), Toxiproxy killed under an outage, a target that welcomes one camera of the fleet, a target
 * whose every ownership change fails. They run at once; Toxiproxy killed under an outage, which must strike
 * inside one phase of its run, runs alone in honest-verdict-toxiproxy.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { readSummary, runDir } from '../helpers/cli.ts';
import { spawnCloudCli, type CloudProcess } from '../helpers/cloud.ts';
import { startMisbehavingFront, type RunningFront } from '../helpers/misbehaving-front.ts';
import { childrenOf, whenJournalHas } from '../helpers/run-events.ts';
import { expectError, FLEET, headline, run } from '../helpers/unjudged-run.ts';

const TOKEN = 'admin-token-for-honest-verdicts-7d1e';

// Cases run at once (each its own target, Toxiproxy and out folder), so each cleans up after itself.
type Finished = TestContext['onTestFinished'];

/** A cloud of the test's own, killed when that test ends (the test's own hook: the global one is ambiguous under concurrency). */
async function cloud(onTestFinished: Finished): Promise<CloudProcess> {
  const started = await spawnCloudCli(['--admin-token', TOKEN]);
  onTestFinished(async () => {
    started.child.kill('SIGKILL');
    await started.exited;
  });
  return started;
}

async function front(onTestFinished: Finished, upstream: string, options: Parameters<typeof startMisbehavingFront>[1]): Promise<RunningFront> {
  const started = await startMisbehavingFront(upstream, options);
  onTestFinished(() => started.stop());
  return started;
}

describe.concurrent('a run that did not test what it set out to never passes', () => {
  it('someone else\'s target killed mid-run: error, naming the dead target', async ({ onTestFinished }) => {
    const target = await cloud(onTestFinished);
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

  it('the embedded cloud killed mid-run: error, naming it', async ({ onTestFinished }) => {
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

  it('a target that welcomes one camera of the fleet and refuses the rest: error, too little of the fleet connected', async ({ onTestFinished }) => {
    const target = await cloud(onTestFinished);
    const partial = await front(onTestFinished, target.url, { welcomeOnly: 1 });
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

  it('a target whose every ownership change fails: error, the planned access changes were not applied', async ({ onTestFinished }) => {
    const target = await cloud(onTestFinished);
    const failing = await front(onTestFinished, target.url, { failAccessChanges: true });
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
