/** report.html as a string: escaping, the caps that keep big runs small, and the content a reader looks for. */
import { describe, expect, it } from 'vitest';
import { downsample } from '../../src/report/html/downsample.ts';
import { escapeHtml, html } from '../../src/report/html/escape.ts';
import { MAX_LEAK_ROWS } from '../../src/report/html/incident.ts';
import { renderReport } from '../../src/report/html/page.ts';
import { reporters } from '../../src/report/index.ts';
import type { TimelineBucket } from '../../src/report/timeline.ts';
import { EVIDENCE, failingRun, HOSTILE_EVENT, HOSTILE_USER } from './html-fixture.ts';

describe('html escaping', () => {
  it('escapes interpolations and passes nested markup through once', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${['<', html`<br>`]}${null}${0}</p>`.value).toBe('<p><b>&lt;i&gt;</b>&lt;<br>0</p>');
  });

  it('never lets a hostile id into the page as markup', () => {
    const page = renderReport(failingRun());
    expect(page).not.toContain(HOSTILE_USER);
    expect(page).not.toContain(HOSTILE_EVENT);
    expect(page).toContain(escapeHtml(HOSTILE_USER));
    expect(page.match(/<script/g)).toHaveLength(1);
  });
});

describe('downsample', () => {
  const buckets: TimelineBucket[] = Array.from({ length: 10 }, (_, s) => ({ s, cameras: s === 3 ? 0 : 10, streams: 5, acked: s, shown: 2, errors: 0 }));

  it('keeps a short timeline as it is', () => {
    const points = downsample(buckets, 20);
    expect(points).toHaveLength(10);
    expect(points[4]).toEqual({ s: 4, width: 1, cameras: 10, streams: 5, acked: 4, shown: 2, errors: 0 });
  });

  it('turns counters into per-second rates and keeps the dips of gauges', () => {
    const points = downsample(buckets, 3);
    expect(points.map((p) => p.width)).toEqual([4, 4, 2]);
    expect(points[0]).toMatchObject({ s: 0, cameras: 0, acked: (0 + 1 + 2 + 3) / 4, shown: 2 });
    expect(points[2]).toMatchObject({ s: 8, cameras: 10, acked: 8.5 });
  });

  it('refuses a nonsense point budget with one clear error', () => {
    expect(() => downsample(buckets, 0)).toThrow(/maxPoints must be a positive integer/);
  });
});

describe('report.html content', () => {
  it('is registered with every run, after summary.json', () => {
    expect(reporters.map((reporter) => reporter.file)).toEqual(expect.arrayContaining(['summary.json', 'report.html']));
    expect(reporters[0]!.file).toBe('summary.json');
  });

  it('fetches nothing: a strict CSP and no URL to any other place', () => {
    const page = renderReport(failingRun());
    expect(page).toContain(`http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;`);
    expect(page).not.toMatch(/(?:src|href)="(?!#)/);
    expect(page).not.toMatch(/https?:\/\//);
  });

  it('names the incident, the breached gate, the first leak and the outage before it, and how to repeat the run', () => {
    const page = renderReport(failingRun());
    expect(page).toContain('FAIL: cross-account leaks');
    expect(page).toMatch(/<strong>5 users were<\/strong> shown events from cameras that are not theirs/);
    expect(page).toMatch(/Breached gate: <strong>leaks<\/strong>/);
    expect(page).not.toMatch(/Breached gate[^<]*<strong>delivery/);
    const first = page.slice(page.indexOf('id="first-leak"'), page.indexOf('id="affected"'));
    expect(first).toContain('user-carol');
    expect(first).toMatch(/Outage before it: <strong>outage<\/strong> on client \(<code>f1<\/code>\) from \+5\.0 s, healed at \+10\.0 s, 1\.5 s before the leak/);
    expect(page).toContain('bin/stampede run storm --seed 4242');
  });

  it('caps the embedded leaks and the chart points of a long soak, and says how many more there are', () => {
    const evidence = Array.from({ length: 3000 }, (_, i) => ({ ...EVIDENCE[1]!, recipient: `user-${i}`, at: EVIDENCE[1]!.at + i }));
    const page = renderReport(failingRun({ evidence, seconds: 6 * 3600, total: 7000 }));
    expect(page.match(/<tr id="leak-/g)).toHaveLength(MAX_LEAK_ROWS);
    expect(page).toContain('The first 1,000 are listed here; 6,000 more are counted only');
    const cameras = /data-series="cameras" points="([^"]*)"/.exec(page)![1]!;
    expect(cameras.split(' ').length).toBeLessThanOrEqual(1200);
    expect(page.length).toBeLessThan(2_000_000);
  });

  it('shows a split fleet\'s workers, marks the one whose records fell short, and has no section for an unsplit fleet', () => {
    const run = failingRun();
    expect(renderReport(run)).not.toContain('id="workers"');
    run.summary.workers = [
      { worker: 1, cameras: 2, users: 1, recordsSent: 30, recordsReceived: 30 },
      { worker: 2, cameras: 1, users: 2, recordsSent: null, recordsReceived: 7 },
    ];
    const section = /<section id="workers">[\s\S]*?<\/section>/.exec(renderReport(run))![0];
    expect(section).toContain('split across 2 worker processes');
    expect(section).toContain('<tr class="gate-ok"><td>1</td><td>2</td><td>1</td><td>30</td><td>30</td></tr>');
    expect(section).toContain('<tr class="gate-breached"><td>2</td><td>1</td><td>2</td><td>unknown</td><td>7</td></tr>');
  });

  it('a passing run says so and has no leak table', () => {
    const run = failingRun({ evidence: [], total: 0 });
    run.summary.verdict = 'pass';
    run.summary.reasons = [];
    const page = renderReport(run);
    expect(page).toContain('PASS: no user was shown anything that is not theirs');
    expect(page).not.toContain('id="leaks"');
    expect(page).toContain('id="timeline-chart"');
  });

  it('a run stopped before any load still renders: no verdict, empty timeline, no outage', () => {
    const run = failingRun({ evidence: [], seconds: 0, total: 0 });
    run.summary = { ...run.summary, verdict: 'error', reasons: ['the run stopped early: Toxiproxy failed'], faults: [], gates: [] };
    run.summary.reconnect = { ...run.summary.reconnect, outages: 0, perOutage: [] };
    run.timeline = { startedAt: run.timeline.startedAt, buckets: [], phases: [] };
    const page = renderReport(run);
    expect(page).toContain('ERROR: no verdict');
    expect(page).toContain('the run stopped early: Toxiproxy failed');
    expect(page).toContain('No client outage was healed during the run.');
    expect(page).not.toContain('NaN');
  });

  it('an outage whose heal was never confirmed is said to leave reconnect unknown, never that cameras did not come back', () => {
    const run = failingRun({ evidence: [], seconds: 0, total: 0 });
    run.summary.reconnect = { ...run.summary.reconnect, outages: 0, unhealed: 1, missing: 0, perOutage: [] };
    const page = renderReport(run);
    expect(page).toContain('Reconnect unknown after 1 outage whose heal was never confirmed.');
    expect(page).not.toContain('never came back');
  });
});
