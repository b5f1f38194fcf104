/**
 * The progress line of a real run says no leak can have been counted while the oracle's settle delay (30 s) has
 * not passed any item checked, instead of a "leaks 0" nobody judged. A 20 s run never gets past it, whatever the
 * machine's load; when the count appears is the oracle's unit test (test/oracle/oracle.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { runDir, stampede } from '../helpers/cli.ts';

describe('stampede run progress before anything was judged', () => {
  it('shows "leaks - (judging)", never "leaks 0", before the settle delay passed', async () => {
    const out = runDir('judging');
    const { code, stderr } = await stampede(['run', 'storm', '--cameras', '6', '--users', '3', '--seed', '13', '--duration', '20', '--out', out], { timeoutMs: 110_000 });
    expect(code, stderr.slice(-3000)).toBe(0);
    const lines = stderr.split('\n').filter((line) => / left \| cameras /.test(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/\| checked \d+ \| leaks - \(judging\)/);
  }, 120_000);
});
