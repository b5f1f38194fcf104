/**
 * Never a false pass: a run that did not test what it set out to test ends in error (exit 3), its summary says
 * why, and so does the first line on the console. Each case breaks one thing a run depends on, at a moment the
 * run reached (a record in its journal), through the real CLI: the target killed mid-run (someone else's, and
 * the embedded one), Toxiproxy killed under an outage, a target that welcomes one camera of the fleet, a target
 * whose every ownership change fails. Three files, so the suite's workers share them out: the killed target here,
 * Toxiproxy in honest-verdict-toxiproxy.test.ts, a target that lets the run down in honest-verdict-target.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSummary, runDir } from '../helpers/cli.ts';
import { childrenOf, whenJournalHas } from '../helpers/run-events.ts';
import { cloud, expectError, FLEET, headline, run, TOKEN } from '../helpers/unjudged-run.ts';

describe('a run whose target went down never passes', () => {
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

});
