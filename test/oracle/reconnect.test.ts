import { describe, expect, it } from 'vitest';
import { evaluateGates, parseGates, type GateFigures } from '../../src/oracle/gates.ts';
import { ReconnectTracker } from '../../src/oracle/reconnect.ts';
import type { HistoryRecord } from '../../src/world/history.ts';

const welcome = (cameraId: string, t: number): HistoryRecord => ({ type: 'camera', t, cameraId, state: 'welcome' });
const closed = (cameraId: string, t: number): HistoryRecord => ({ type: 'camera', t, cameraId, state: 'closed', code: 1006 });
const outage = (action: 'start' | 'heal', t: number): HistoryRecord => ({ type: 'fault', t, action, id: 'f1', fault: 'outage', path: 'client' });

function track(records: HistoryRecord[]) {
  const tracker = new ReconnectTracker();
  for (const record of records) tracker.observe(record);
  return tracker.stats();
}

describe('ReconnectTracker', () => {
  const before = ['a', 'b', 'c', 'd'].map((id) => welcome(id, 0));
  const drop = ['a', 'b', 'c', 'd'].map((id) => closed(id, 1_001));

  it('times each camera that was up from the outage heal to its next welcome', () => {
    const stats = track([...before, outage('start', 1_000), ...drop, outage('heal', 5_000), welcome('a', 5_100), welcome('b', 5_200), welcome('c', 5_300), welcome('d', 6_000)]);
    expect(stats).toMatchObject({ outages: 1, reconnected: 4, missing: 0 });
    expect(stats.p50).toBeCloseTo(200, -1);
    expect(stats.max).toBeCloseTo(1_000, -1);
    expect(stats.perOutage[0]).toMatchObject({ cameras: 4, reconnected: 4, firstBackMs: 100, allBackMs: 1_000 });
  });

  it('measures from the heal call when Toxiproxy confirmed it late: cameras back before the confirmation came back, not never', () => {
    // The first heal call at 5 000 timed out; a second one confirmed it at 12 000, by when three cameras were back.
    const late: HistoryRecord = { type: 'fault', t: 12_000, calledAt: 5_000, action: 'heal', id: 'f1', fault: 'outage', path: 'client' };
    const stats = track([...before, outage('start', 1_000), ...drop, welcome('a', 6_000), welcome('b', 7_000), welcome('c', 11_000), late, welcome('d', 13_000)]);
    expect(stats).toMatchObject({ outages: 1, unhealed: 0, reconnected: 4, missing: 0 });
    expect(stats.perOutage[0]).toMatchObject({ healedAt: 5_000, cameras: 4, reconnected: 4, firstBackMs: 1_000, allBackMs: 8_000 });
    expect(stats.p50).toBeCloseTo(2_000, -2);
  });

  it('counts a camera that never came back as forever, so a mostly failed reconnect cannot pass a gate', () => {
    const stats = track([...before, outage('start', 1_000), ...drop, outage('heal', 5_000), welcome('a', 5_100)]);
    expect(stats).toMatchObject({ reconnected: 1, missing: 3, p50: Infinity, p95: Infinity, max: Infinity });
    expect(stats.perOutage[0]).toMatchObject({ firstBackMs: 100, allBackMs: null });
    const figures: GateFigures = {
      leaks: { total: 0 },
      events: { emitted: 1, acked: 1, delivered: 1, lost: 0 },
      duplicates: 0,
      unknown: 0,
      mismatches: 0,
      roleErrors: 0,
      probes: { sent: 0, refused: 0, notRefused: 0 },
      latency: { p50: 0, p95: 0, p99: 0, max: 0 },
      reconnect: stats,
      errors: 0,
    };
    const [gate] = evaluateGates(parseGates({ 'reconnect.p95': '<20s' }), figures);
    expect(gate!.ok).toBe(false);
    expect(JSON.parse(JSON.stringify({ p95: stats.p95 })).p95).toBeNull();
  });

  it('counts the cameras an outage dropped even when its start record, written once Toxiproxy confirmed it, comes after their closes', () => {
    const stats = track([...before, ...drop, outage('start', 1_000), outage('heal', 5_000), ...['a', 'b', 'c', 'd'].map((id) => welcome(id, 5_100))]);
    expect(stats).toMatchObject({ outages: 1, reconnected: 4, missing: 0 });
    expect(stats.perOutage[0]).toMatchObject({ cameras: 4, reconnected: 4 });
  });

  it('says an outage whose heal was never confirmed is unknown, rather than that its cameras never came back', () => {
    const failed: HistoryRecord = { type: 'fault', t: 5_000, action: 'heal-failed', id: 'f1', fault: 'outage', path: 'client', message: 'Toxiproxy unreachable' };
    const stats = track([...before, outage('start', 1_000), ...drop, failed]);
    expect(stats).toMatchObject({ outages: 0, unhealed: 1, reconnected: 0, missing: 0 });
  });

  it('keeps percentiles exact while few cameras are missing', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const records = [...ids.map((id) => welcome(id, 0)), outage('start', 1_000), ...ids.map((id) => closed(id, 1_001)), outage('heal', 2_000)];
    ids.slice(0, 99).forEach((id, i) => records.push(welcome(id, 2_000 + (i + 1) * 10)));
    const stats = track(records);
    expect(stats.missing).toBe(1);
    expect(stats.p95).toBeCloseTo(950, -1);
    expect(stats.max).toBe(Infinity);
  });
});
