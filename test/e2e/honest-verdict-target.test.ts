/**
 * Never a false pass when the target lets the run down without going away: one that welcomes one camera of the
 * fleet and refuses the rest, and one whose every ownership change fails. Each run ends in error (exit 3), saying
 * why in its summary and on the console's first line.
 */
import { describe, expect, it } from 'vitest';
import { readSummary, runDir } from '../helpers/cli.ts';
import { cloud, expectError, FLEET, front, headline, run, TOKEN } from '../helpers/unjudged-run.ts';

describe('a run whose target lets it down never passes', () => {
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
