/**
 * The metrics endpoint on its own: records fed to its sink and a LiveRun whose figures the test sets, scraped
 * over real HTTP and read back from the exposition text.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import type { LiveRun } from '../../src/run/live.ts';
import { startMetricsEndpoint, type MetricsEndpoint } from '../../src/run/metrics.ts';
import type { HistoryRecord } from '../../src/world/history.ts';
import { sample, scrape } from './metrics-scrape.ts';

const surfaces = () => ({ list: 0, stream: 0, thumbnail: 0, cameras: 0 });

function fakeRun() {
  const figures = { connected: 2, faults: ['outage@client', 'latency@cache'], checked: surfaces(), leaks: surfaces(), phase: 'outage' };
  const live: LiveRun = {
    scenario: 'storm',
    startedAt: Date.now(),
    endsAt: Date.now() + 60_000,
    phase: () => figures.phase,
    cameras: { total: 3, connected: () => figures.connected },
    users: { total: 2, loggedIn: () => 1 },
    count: () => 0,
    checks: () => ({ checked: 0, leaks: 0, unknown: 0, judged: false }),
    surfaces: () => ({ checked: { ...figures.checked }, leaks: { ...figures.leaks } }),
    activeFaults: () => figures.faults,
  };
  return { live, figures };
}

const shown = (t: number, userId: string, eventIds: string[]): HistoryRecord => ({
  type: 'shown', surface: 'stream', start: t, t, userId, events: eventIds.map((eventId) => ({ eventId, cameraId: 'c1', kind: 'motion', ts: t })),
});

describe('metrics endpoint', () => {
  let endpoint: MetricsEndpoint | undefined;
  afterEach(async () => {
    await endpoint?.stop();
    endpoint = undefined;
  });

  it('serves gauges from the live run and counters and histograms from the records', async () => {
    endpoint = await startMetricsEndpoint(0);
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const { live, figures } = fakeRun();
    endpoint.watch(live);
    const records: HistoryRecord[] = [
      { type: 'sent', t: 1_000, cameraId: 'c1', eventId: 'e1', kind: 'motion', ts: 1_000, bytes: 10, digest: 'd', check: 'k' },
      { type: 'acked', t: 1_000, cameraId: 'c1', eventId: 'e1' },
      shown(1_300, 'u1', ['e1']),
      // A second sighting of the same event is a delivery but not a second latency sample.
      shown(1_900, 'u2', ['e1']),
      { type: 'cameras', start: 2_000, t: 2_000, userId: 'u1', cameras: [{ cameraId: 'c1', role: 'owner' }, { cameraId: 'c2', role: 'shared' }] },
      { type: 'thumbnail', start: 2_000, t: 2_000, userId: 'u1', eventId: 'e1', probe: false, status: 200 },
      { type: 'thumbnail', start: 2_000, t: 2_000, userId: 'u1', eventId: 'e9', probe: true, status: 404 },
      { type: 'camera', t: 3_000, cameraId: 'c1', state: 'closed', code: 1006 },
      // Back after three failed connects, counted on the welcome rather than recorded one by one.
      { type: 'camera', t: 5_000, cameraId: 'c1', state: 'welcome', retries: 3 },
      { type: 'error', t: 5_000, source: 'camera', message: 'boom' },
    ];
    for (const record of records) endpoint.sink.record(record);

    const first = await scrape(endpoint.url);
    expect(first.contentType).toContain('text/plain');
    for (const name of [
      'stampede_cameras_connected', 'stampede_users_logged_in', 'stampede_faults_active', 'stampede_phase', 'stampede_events_sent_total',
      'stampede_events_acked_total', 'stampede_items_shown_total', 'stampede_items_checked_total', 'stampede_leaks_total',
      'stampede_errors_total', 'stampede_delivery_latency_seconds', 'stampede_reconnect_seconds',
    ]) expect(first.names).toContain(name);
    const s = first.samples;
    expect(sample(s, 'stampede_cameras_connected')).toBe(2);
    expect(sample(s, 'stampede_cameras_simulated')).toBe(3);
    expect(sample(s, 'stampede_faults_active{fault="outage",path="client"}')).toBe(1);
    expect(sample(s, 'stampede_faults_active{fault="latency",path="cache"}')).toBe(1);
    expect(sample(s, 'stampede_phase{scenario="storm",phase="outage"}')).toBe(1);
    expect(sample(s, 'stampede_oracle_judging')).toBe(1);
    expect(sample(s, 'stampede_events_sent_total')).toBe(1);
    expect(sample(s, 'stampede_events_acked_total')).toBe(1);
    expect(sample(s, 'stampede_items_shown_total{surface="stream"}')).toBe(2);
    expect(sample(s, 'stampede_items_shown_total{surface="cameras"}')).toBe(2);
    expect(sample(s, 'stampede_items_shown_total{surface="thumbnail"}')).toBe(1);
    expect(sample(s, 'stampede_items_shown_total{surface="list"}')).toBe(0);
    expect(sample(s, 'stampede_errors_total{source="camera"}')).toBe(1);
    expect(sample(s, 'stampede_delivery_latency_seconds_count')).toBe(1);
    expect(sample(s, 'stampede_delivery_latency_seconds_bucket{le="0.25"}')).toBe(0);
    expect(sample(s, 'stampede_delivery_latency_seconds_bucket{le="0.5"}')).toBe(1);
    expect(sample(s, 'stampede_reconnect_seconds_count')).toBe(1);
    expect(sample(s, 'stampede_reconnect_seconds_bucket{le="1"}')).toBe(0);
    expect(sample(s, 'stampede_reconnect_seconds_bucket{le="2.5"}')).toBe(1);
    expect(sample(s, 'stampede_camera_retries_total')).toBe(3);
    expect(sample(s, 'stampede_leaks_total{surface="thumbnail"}')).toBe(0);

    // The oracle's counters move between scrapes; a healed fault leaves the gauge; the phase moves on.
    figures.checked.list = 7;
    figures.leaks.thumbnail = 2;
    figures.faults = ['latency@cache'];
    figures.phase = 'settle';
    const second = (await scrape(endpoint.url)).samples;
    expect(sample(second, 'stampede_items_checked_total{surface="list"}')).toBe(7);
    expect(sample(second, 'stampede_leaks_total{surface="thumbnail"}')).toBe(2);
    expect(second.has('stampede_faults_active{fault="outage",path="client"}')).toBe(false);
    expect(second.has('stampede_phase{scenario="storm",phase="outage"}')).toBe(false);
    expect(sample(second, 'stampede_phase{scenario="storm",phase="settle"}')).toBe(1);
    // Scraping again without change does not count anything twice.
    expect(sample((await scrape(endpoint.url)).samples, 'stampede_items_checked_total{surface="list"}')).toBe(7);
  });

  it('error sources beyond a handful are counted as other', async () => {
    endpoint = await startMetricsEndpoint(0);
    for (let i = 0; i < 40; i += 1) endpoint.sink.record({ type: 'error', t: i, source: `source-${i}`, message: 'x' });
    const { samples } = await scrape(endpoint.url);
    const sources = [...samples.keys()].filter((key) => key.startsWith('stampede_errors_total{'));
    expect(sources.length).toBeLessThanOrEqual(17);
    expect(sample(samples, 'stampede_errors_total{source="other"}')).toBe(40 - 16);
  });

  it('answers 404 off /metrics, and stops listening when stopped', async () => {
    endpoint = await startMetricsEndpoint(0);
    const base = endpoint.url.replace(/\/metrics$/, '');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics?x=1`)).status).toBe(200);
    await endpoint.stop();
    endpoint = undefined;
    await expect(fetch(`${base}/metrics`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
  });

  it('a port in use is one clear usage error', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const attempt = startMetricsEndpoint(port);
      await expect(attempt).rejects.toBeInstanceOf(UsageError);
      await expect(attempt).rejects.toThrow(`--metrics-port ${port} cannot be used`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
