/**
 * report.html of a failing run (literal data) opened in a real headless Chromium: it loads offline with no
 * request but itself and no console error, its charts hold data, hostile ids stay text, and the leak table
 * sorts, filters and links to the timeline.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/html/page.ts';
import { launchChromium, openReport, type OpenedReport } from './html-browser.ts';
import { failingRun, HOSTILE_EVENT, HOSTILE_USER } from './html-fixture.ts';

let browser: Browser;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stampede-html-'));
  file = join(dir, 'report.html');
  writeFileSync(file, renderReport(failingRun()));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

// The tests type-check without the DOM library (the project is Node code), so page-side values get these shapes.
interface TableRow {
  cells: ArrayLike<{ textContent: string | null }>;
}
interface Drawn {
  points: { length: number };
  getBBox(): { width: number };
}
interface PageGlobals {
  __xss?: unknown;
  location: { hash: string };
  document: { getElementById(id: string): { hidden: boolean } | null };
}

const column = (report: OpenedReport, n: number) =>
  report.page.$$eval('#leaks tbody tr:not([hidden])', (rows, i) => rows.map((row) => (row as unknown as TableRow).cells[i]!.textContent!.trim()), n);

describe('report.html in Chromium', () => {
  it('opens offline: no request but the file itself, no console error, no script from the evidence', async () => {
    const report = await openReport(browser, file);
    await report.page.locator('#leak-filter').fill('user');
    await report.page.locator('#leaks th button').first().click();
    expect(report.requests).toEqual([report.url]);
    expect(report.consoleErrors).toEqual([]);
    expect(report.pageErrors).toEqual([]);
    expect(report.dialogs).toEqual([]);
    expect(await report.page.evaluate(() => (globalThis as unknown as PageGlobals).__xss)).toBeUndefined();
    await report.page.close();
  });

  it('draws the timeline with data, fault bands and one marker per leak, and the latency and reconnect bars', async () => {
    const { page } = await openReport(browser, file);
    const series = await page.$$eval('#timeline-chart polyline', (lines) =>
      lines.map((line) => ({ key: line.getAttribute('data-series'), points: (line as unknown as Drawn).points.length, width: (line as unknown as Drawn).getBBox().width })),
    );
    expect(series.map((s) => s.key)).toEqual(['cameras', 'streams', 'acked', 'shown', 'errors']);
    for (const s of series) {
      expect(s.points).toBe(30);
      expect(s.width).toBeGreaterThan(100);
    }
    expect(await page.$$eval('#timeline-chart rect.band', (bands) => bands.map((band) => band.getAttribute('data-fault')))).toEqual(['f1', 'f2']);
    expect(await page.locator('#timeline-chart .leak-marker').count()).toBe(5);
    const latency = await page.$$eval('#latency-chart rect', (bars) => bars.map((bar) => (bar as unknown as Drawn).getBBox().width));
    expect(latency).toHaveLength(4);
    expect(latency[3]).toBeGreaterThan(latency[0]!);
    expect(await page.locator('#reconnect-chart rect').count()).toBe(5);
    await page.close();
  });

  it('leads with the first leak, the outage before it and the users affected', async () => {
    const { page } = await openReport(browser, file);
    const first = await page.locator('#first-leak').innerText();
    expect(first).toContain('user-carol');
    expect(first).toContain('at +11.5 s');
    expect(await page.locator('#outage-before').innerText()).toMatch(/outage on client \(f1\) from \+5\.0 s, healed at \+10\.0 s/);
    expect(await page.locator('#affected').innerText()).toContain(HOSTILE_USER);
    expect(await page.locator('#breached-gates').innerText()).toBe('Breached gate: leaks');
    expect(await page.locator('#command').innerText()).toContain('--seed 4242');
    await page.close();
  });

  it('lists every leak in time order, hostile ids as plain text', async () => {
    const report = await openReport(browser, file);
    expect(await column(report, 2)).toEqual(['user-carol', 'user-bob', 'user-dave', HOSTILE_USER, 'user-alice']);
    expect(await column(report, 5)).toContain(HOSTILE_EVENT);
    await report.page.close();
  });

  it('sorts by the column whose header is clicked, both ways', async () => {
    const report = await openReport(browser, file);
    const recipient = report.page.locator('#leaks th', { hasText: 'recipient' });
    await recipient.locator('button').click();
    expect(await recipient.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await column(report, 2);
    expect(ascending).toEqual([HOSTILE_USER, 'user-alice', 'user-bob', 'user-carol', 'user-dave']);
    await recipient.locator('button').click();
    expect(await column(report, 2)).toEqual([...ascending].reverse());
    await report.page.locator('#leaks th', { hasText: 'at' }).first().locator('button').click();
    expect(await column(report, 0)).toEqual(['1', '2', '3', '4', '5']);
    await report.page.close();
  });

  it('filters by text and by surface, and a timeline marker leads to its row even through a filter', async () => {
    const report = await openReport(browser, file);
    const { page } = report;
    await page.locator('#leak-filter').fill('cam-9');
    expect(await column(report, 2)).toEqual(['user-carol']);
    await page.locator('#leak-filter').fill('');
    await page.locator('#leak-surface').selectOption('stream');
    expect(await column(report, 2)).toEqual(['user-bob', 'user-dave']);
    expect(await page.locator('#leak-count').innerText()).toBe('2 of 5 shown');
    await page.locator('#m-5').click();
    await page.waitForFunction(() => {
      const { location, document } = globalThis as unknown as PageGlobals;
      return location.hash === '#leak-5' && document.getElementById('leak-5')?.hidden === false;
    });
    expect(await column(report, 2)).toHaveLength(5);
    await page.close();
  });

  it('without Chromium, says how to install it', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(/apt-get install -y chromium/);
  });
});
