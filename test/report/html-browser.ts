/**
 * Opens a report.html in the system's headless Chromium (Debian's `chromium`, driven by playwright-core) and
 * records what a careful reader would want to know: console errors, page errors, dialogs and every request.
 * A missing Chromium fails loudly: these tests are the only proof that the report works in a browser.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.STAMPEDE_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchChromium(executablePath = CHROMIUM): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(`report.html tests need Chromium at ${executablePath}: run \`apt-get install -y chromium\` (or set STAMPEDE_CHROMIUM to a Chromium binary)`);
  }
  return chromium.launch({ executablePath, args: ARGS, timeout: 30_000 });
}

/** An opened report and everything it did while loading and being used. */
export interface OpenedReport {
  page: Page;
  url: string;
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
}

export async function openReport(browser: Browser, file: string): Promise<OpenedReport> {
  const page = await browser.newPage();
  const url = pathToFileURL(file).href;
  const opened: OpenedReport = { page, url, requests: [], consoleErrors: [], pageErrors: [], dialogs: [] };
  page.on('request', (request) => opened.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') opened.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => opened.pageErrors.push(error.message));
  page.on('dialog', (dialog) => {
    opened.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  return opened;
}
