/**
 * The refresh storm through the real CLI, Toxiproxy and Redis: users' reads driven by autocannon, every answer
 * judged. On the correct embedded cloud it passes with autocannon's figures in summary.json and report.html; with
 * steam-2015 (an emergency cache keyed by URL that switches on when the apps reopen at once) it fails with camera
 * lists and event pages shown to the wrong users; an adapter without plain-HTTP user calls is one line, exit 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';

const REFERENCE = fileURLToPath(new URL('../../src/adapter/reference/index.ts', import.meta.url));
const RUN = ['--cameras', '60', '--users', '30', '--duration', '15', '--seed', '12', '--workers', '1'];

describe('stampede run refresh-storm', () => {
  it('passes on the correct cloud, checking every surface autocannon read, and fails with steam-2015', async () => {
    const correct = runDir('refresh-correct');
    const steam = runDir('refresh-steam');
    // Side by side: both runs are mostly waiting on their phases.
    const [passed, failed] = await Promise.all([
      stampede(['run', 'refresh-storm', ...RUN, '--out', correct], { timeoutMs: 150_000 }),
      stampede(['run', 'refresh-storm', ...RUN, '--bug', 'steam-2015', '--out', steam], { timeoutMs: 150_000 }),
    ]);

    expect(passed.code, passed.stderr.slice(-2000)).toBe(0);
    const summary = readSummary(correct);
    expect(summary.verdict).toBe('pass');
    expect(summary.checked.list).toBeGreaterThan(0);
    expect(summary.checked.cameras).toBeGreaterThan(0);
    expect(summary.checked.thumbnail).toBeGreaterThan(0);
    expect(summary.probes.sent).toBeGreaterThan(0);
    const load = summary.load!;
    expect(load.tool).toBe('autocannon');
    expect(load.connections).toBe(30);
    expect(load.requests.total).toBeGreaterThan(0);
    expect(load.requests.perSecond).toBeGreaterThan(0);
    expect(load.latency.p99).toBeGreaterThanOrEqual(load.latency.p50);
    // The outage refused the users' connections: autocannon counted it, and they came back to answer again.
    expect(load.errors).toBeGreaterThan(0);
    expect(load.statusCodes['200']).toBeGreaterThan(0);
    const html = readFileSync(join(correct, 'report.html'), 'utf8');
    expect(html).toContain('<section id="load">');
    expect(html).toContain(`${load.requests.total.toLocaleString('en-US')} answers`);
    expect(passed.stdout).toMatch(/users' requests \(autocannon\): \d+ answered/);

    expect(failed.code, failed.stderr.slice(-2000)).toBe(1);
    const leaked = readSummary(steam);
    expect(leaked.verdict).toBe('fail');
    expect(leaked.leaks.bySurface.cameras + leaked.leaks.bySurface.list + leaked.leaks.bySurface.thumbnail, JSON.stringify(leaked.leaks)).toBeGreaterThan(0);
    expect(leaked.load?.requests.total).toBeGreaterThan(0);
  }, 170_000);

  it('refuses an adapter without plain-HTTP user calls in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stampede-refresh-'));
    const file = join(dir, 'nohttp.adapter.ts');
    writeFileSync(file, `import { defineAdapter } from 'stampede/adapter';
import reference from ${JSON.stringify(REFERENCE)};
const { http: _, ...users } = reference.users;
export default defineAdapter({ ...reference, name: 'nohttp', users });
`);
    const result = await stampede(['run', 'refresh-storm', '--adapter', file, '--duration', '10']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^stampede: refresh-storm needs plain-HTTP user calls: adapter nohttp has no users\.http: describe .* in users\.http/);
  }, 60_000);
});
