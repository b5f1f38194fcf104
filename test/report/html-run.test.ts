/**
 * The "done when": a failing storm (--bug wyze-2024) through the real CLI writes a report.html in which
 * the first leak, the outage before it and the users affected are found at once, opened offline in Chromium.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/report/summary.ts';
import { readSummary, runDir, stampede, type CliResult } from '../helpers/cli.ts';
import { launchChromium, openReport } from './html-browser.ts';

// 40 cameras and 20 users do not saturate wyze-2024's connection pool reliably; this fleet's reconnect storm does.
const STORM = ['run', 'storm', '--bug', 'wyze-2024', '--cameras', '200', '--users', '100', '--duration', '20', '--seed', '542311785'];

interface TableRow {
  hidden: boolean;
  cells: ArrayLike<{ textContent: string | null }>;
}

let browser: Browser;
let out: string;
let run: CliResult;
let summary: Summary;

beforeAll(async () => {
  out = runDir('wyze-2024');
  [run, browser] = await Promise.all([stampede([...STORM, '--out', out], { timeoutMs: 150_000 }), launchChromium()]);
  summary = readSummary(out);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (out) rmSync(dirname(out), { recursive: true, force: true });
});

describe('report.html of a real failing storm', () => {
  it('is written next to summary.json and opens offline without errors', async () => {
    expect(run.code, run.stderr.slice(-2000)).toBe(1);
    expect(summary.leaks.total).toBeGreaterThan(0);
    const file = join(out, 'report.html');
    expect(readFileSync(file, 'utf8')).toContain(summary.command);
    const report = await openReport(browser, file);
    const { page } = report;
    const rows = await page.$$eval('#leaks tbody tr', (all) => all.map((row) => Array.from((row as unknown as TableRow).cells, (cell) => cell.textContent!.trim())));
    expect(rows).toHaveLength(Math.min(summary.leaks.total, 1000));
    expect(await page.locator('#timeline-chart .leak-marker').count()).toBe(rows.length);
    expect(await page.locator('#timeline-chart rect.band').count()).toBe(summary.faults.length);
    expect(await page.$$eval('#timeline-chart polyline', (lines) => lines.map((line) => (line.getAttribute('points') ?? '').split(' ').length))).toSatisfy((counts: number[]) =>
      counts.length === 5 && counts.every((n) => n > 10),
    );

    // The first leak, the outage before it, the users affected: all at the top, consistent with the table.
    const first = await page.locator('#first-leak').innerText();
    expect(first).toContain(`User ${rows[0]![2]} was shown`);
    const outage = summary.faults.find((fault) => fault.fault === 'outage' && fault.path === 'client')!;
    expect(await page.locator('#outage-before').innerText()).toContain(`(${outage.id})`);
    const affected = await page.locator('#affected').innerText();
    // Every recipient is named, or counted in the "and N more" the list ends with when it is long.
    const recipients = new Set(rows.map((row) => row[2]!));
    const shownLine = affected.split('\n').find((line) => line.startsWith('Shown someone else'))!;
    const named = shownLine.slice(shownLine.indexOf(':') + 1).match(/\S+ \(\d+\)/g) ?? [];
    const more = Number(/and (\d+) more/.exec(shownLine)?.[1] ?? 0);
    expect(named.length + more).toBe(summary.leaks.recipients);
    if (more === 0) for (const recipient of recipients) expect(shownLine).toContain(`${recipient} (`);
    expect(await page.locator('#headline').innerText()).toContain(`${summary.leaks.recipients} user`);

    await page.locator('#leak-surface').selectOption('stream');
    const streamed = await page.$$eval('#leaks tbody tr:not([hidden])', (all) => all.map((row) => (row as unknown as TableRow).cells[6]!.textContent));
    expect(streamed).toHaveLength(rows.filter((row) => row[6] === 'stream').length);

    expect(report.requests).toEqual([report.url]);
    expect(report.consoleErrors).toEqual([]);
    expect(report.pageErrors).toEqual([]);
    await page.close();
  });
});
