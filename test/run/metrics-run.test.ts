/**
 * One plain (non-terminal) run through the CLI with `--metrics-port`, watched two ways:
 * - the endpoint's URL is printed, /metrics answers while the storm goes with figures that move between two
 *   scrapes, and the endpoint is gone once the run has ended;
 * - its progress lines say no leak can have been counted while the oracle's settle delay (30 s) has not passed
 *   any item checked, instead of a "leaks 0" nobody judged. A 24 s run never gets past it, whatever the machine's
 *   load; when the count appears is the oracle's unit test (test/oracle/oracle.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDir } from '../helpers/cli.ts';
import { sample, scrape } from './metrics-scrape.ts';
import { startCli, stopAll, type RunningCli } from './progress-child.ts';

const PROGRESS = /^\[\S+\] \d+s left/;

describe('a plain stampede run with --metrics-port', () => {
  let cli: RunningCli;
  beforeAll(() => {
    cli = startCli(['run', 'storm', '--cameras', '30', '--users', '15', '--seed', '3', '--duration', '24', '--metrics-port', '0', '--out', runDir('metrics')]);
  });
  afterAll(() => stopAll());

  it('serves moving figures while the run lasts, then stops', async () => {
    const announced = await cli.waitForLine(/Prometheus metrics at /, 60_000);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(announced)![1]!;

    // The first progress line means the load is on; scrape then, and again at the next one.
    await cli.waitForLine(PROGRESS, 60_000);
    const first = await scrape(url);
    await waitForSecondProgressLine(cli.stderr);
    const second = await scrape(url);

    for (const name of [
      'stampede_cameras_connected', 'stampede_users_logged_in', 'stampede_faults_active', 'stampede_events_sent_total',
      'stampede_events_acked_total', 'stampede_items_shown_total', 'stampede_items_checked_total', 'stampede_leaks_total',
      'stampede_errors_total', 'stampede_delivery_latency_seconds', 'stampede_reconnect_seconds',
    ]) expect(first.names).toContain(name);
    expect(sample(first.samples, 'stampede_cameras_simulated')).toBe(30);
    expect(sample(first.samples, 'stampede_users_logged_in')).toBeGreaterThan(0);
    expect(sample(second.samples, 'stampede_events_acked_total')).toBeGreaterThan(sample(first.samples, 'stampede_events_acked_total'));
    const checked = (samples: Map<string, number>) =>
      [...samples].filter(([key]) => key.startsWith('stampede_items_checked_total{')).reduce((sum, [, value]) => sum + value, 0);
    expect(checked(second.samples)).toBeGreaterThan(checked(first.samples));
    expect(sample(second.samples, 'stampede_delivery_latency_seconds_count')).toBeGreaterThan(0);
    expect(sample(second.samples, 'stampede_leaks_total{surface="list"}')).toBe(0);

    expect(await cli.exited, cli.stderr().slice(-3000)).toBe(0);
    await expect(fetch(url, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
  }, 150_000);

  it('shows "leaks - (judging)", never "leaks 0", on every progress line before the settle delay passed', async () => {
    expect(await cli.exited, cli.stderr().slice(-3000)).toBe(0);
    const lines = cli.stderr().split('\n').filter((line) => / left \| cameras /.test(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/\| checked \d+ \| leaks - \(judging\)/);
  }, 150_000);
});

/** Plain progress lines come every few seconds; the second one means time has passed under load. */
async function waitForSecondProgressLine(stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (stderr().split('\n').filter((line) => PROGRESS.test(line)).length < 2) {
    if (Date.now() > deadline) throw new Error(`no second progress line:\n${stderr().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
