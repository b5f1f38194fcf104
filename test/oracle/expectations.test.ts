/**
 * The one check of what a run set out to observe, on literal histories: what `ObservedRun` makes of the records,
 * and every way `shortfalls` finds the run fell short. A run with no shortfall is the only kind that may pass.
 */
import { describe, expect, it } from 'vitest';
import { shortfalls, type Expectations } from '../../src/oracle/expectations.ts';
import { ObservedRun } from '../../src/oracle/observed.ts';
import type { BySurface } from '../../src/oracle/verdict.ts';
import type { HistoryRecord } from '../../src/world/history.ts';
import { access, T } from './fixtures.ts';

const phase = (name: string, at: number): HistoryRecord => ({ type: 'phase', t: T + at, name });
const camera = (cameraId: string, at: number, state: 'welcome' | 'closed' | 'refused' | 'connecting'): HistoryRecord => ({ type: 'camera', t: T + at, cameraId, state });
const acked = (cameraId: string, at: number): HistoryRecord => ({ type: 'acked', t: T + at, cameraId, eventId: `${cameraId}-${at}` });
const fault = (action: 'start' | 'heal' | 'apply-failed' | 'heal-failed', id: string, at: number, message?: string): HistoryRecord =>
  ({ type: 'fault', t: T + at, action, id, fault: id.split('-')[1]!, path: 'client', ...(message ? { message } : {}) });
const transfer = { kind: 'transfer', cameraId: 'camA', fromUserId: 'alice', toUserId: 'bob' } as const;

/** 2 cameras, 4 users, 10 s: warm-up, an outage, a steady phase. */
const EXPECTED: Expectations = {
  durationMs: 10_000,
  fleet: { cameras: 2, users: 4 },
  phases: [{ name: 'warm-up', startMs: 0, endMs: 4000 }, { name: 'outage', startMs: 4000, endMs: 5000 }, { name: 'steady', startMs: 5000, endMs: 10_000 }],
  connected: { 'warm-up': 0.3, outage: 0, steady: 0.6 },
  camerasHeard: 0.8,
  itemsPerUser: { list: 0.5, stream: 0.5, thumbnail: 0.5, cameras: 0.5 },
  accessChanges: { planned: 1, share: 0.9 },
  faults: [{ id: 'f1-outage', label: 'phase outage, fault 1' }],
};
const CHECKED: BySurface = { list: 10, stream: 10, thumbnail: 2, cameras: 4 };

/** Both cameras up from 0.5 s, down through the outage (4-5 s), back at 5.1 s; both heard; the change applied. */
function healthy(): HistoryRecord[] {
  return [
    phase('warm-up', 0),
    camera('camA', 500, 'welcome'),
    camera('camB', 500, 'welcome'),
    acked('camA', 1000),
    acked('camB', 1200),
    phase('outage', 4000),
    fault('start', 'f1-outage', 4000),
    camera('camA', 4010, 'closed'),
    camera('camB', 4010, 'closed'),
    phase('steady', 5000),
    fault('heal', 'f1-outage', 5000),
    camera('camA', 5100, 'welcome'),
    camera('camB', 5100, 'welcome'),
    access(transfer, 6000, 6050),
  ];
}

function observe(records: HistoryRecord[], endAt = T + 10_000) {
  const run = new ObservedRun(2, 10_000);
  for (const record of records) run.observe(record);
  return run.observed(endAt);
}

function check(records: HistoryRecord[], checked = CHECKED, expected = EXPECTED): string[] {
  return shortfalls(observe(records), expected, checked);
}

describe('ObservedRun', () => {
  it('measures the mean share of the fleet connected through each phase', () => {
    const { phases } = observe(healthy());
    expect(phases.map((p) => [p.name, (p.end - p.start) / 1000])).toEqual([['warm-up', 4], ['outage', 1], ['steady', 5]]);
    expect(phases[0]!.connected).toBeCloseTo(3.5 / 4); // both up from 0.5 s of 4 s
    expect(phases[1]!.connected).toBeCloseTo(0.01); // both up for the outage's first 10 ms
    expect(phases[2]!.connected).toBeCloseTo(4.9 / 5);
  });

  it('counts connected time only up to the planned end: the teardown closing every socket is not part of the run', () => {
    const records = [phase('steady', 0), camera('camA', 0, 'welcome'), camera('camA', 30_000, 'closed')];
    const { phases } = observe(records, T + 31_000);
    expect(phases[0]).toMatchObject({ start: T, end: T + 10_000 });
    expect(phases[0]!.connected).toBeCloseTo(0.5);
  });

  it('takes a record that arrives late (an earlier time) without counting time twice or backwards', () => {
    const records = [phase('steady', 0), camera('camA', 0, 'welcome'), camera('camB', 6000, 'welcome'), camera('camB', 2000, 'closed')];
    const { phases } = observe(records);
    expect(phases[0]!.connected).toBeGreaterThanOrEqual(0);
    expect(phases[0]!.connected).toBeCloseTo((10 + 0) / 20); // camB's late close leaves it down from 6 s on
  });

  it('says how each fault ended, never taking a failed or missing heal for a heal', () => {
    const { faults } = observe([
      fault('start', 'f1-outage', 0),
      fault('heal-failed', 'f1-outage', 100, 'Toxiproxy setEnabled(c) failed: unreachable'),
      fault('start', 'f2-latency', 0),
      fault('heal-failed', 'f2-latency', 100, 'timeout'),
      fault('heal', 'f2-latency', 200), // the last try succeeded
      fault('start', 'f3-slicer', 0),
      fault('apply-failed', 'f4-timeout', 0, 'Toxiproxy addToxic failed: unreachable'),
    ]);
    expect(faults.map((f) => [f.id, f.start !== null, f.state])).toEqual([
      ['f1-outage', true, 'heal-failed'],
      ['f2-latency', true, 'healed'],
      ['f3-slicer', true, 'heal-unknown'],
      ['f4-timeout', false, 'heal-unknown'],
    ]);
  });
});

describe('shortfalls', () => {
  it('finds none in a run that observed what it set out to', () => {
    expect(check(healthy())).toEqual([]);
  });

  it('names a service that went down first, before what it caused', () => {
    const dead: HistoryRecord = { type: 'down', t: T + 6000, service: 'target', message: 'the target at http://127.0.0.1:9 went down during the run: its process exited (SIGKILL)' };
    const found = check([...healthy(), dead, camera('camA', 6000, 'closed'), camera('camB', 6000, 'closed')]);
    expect(found[0]).toBe('the target at http://127.0.0.1:9 went down during the run: its process exited (SIGKILL)');
    expect(found).toContain('phase steady: on average 18% of the 2 cameras were connected (at least 60% needed)');
  });

  it('a fleet mostly refused: too little connected, too few cameras heard', () => {
    const records = healthy().filter((r) => !(r.type === 'camera' && r.cameraId === 'camB') && !(r.type === 'acked' && r.cameraId === 'camB'));
    records.push(camera('camB', 600, 'refused'), camera('camB', 5200, 'refused'));
    expect(check(records)).toEqual([
      'phase steady: on average 49% of the 2 cameras were connected (at least 60% needed)',
      'only 1 of 2 cameras had an event acknowledged (at least 2 needed)',
    ]);
  });

  it('every planned fault must be applied and healed, as Toxiproxy confirmed', () => {
    const expected = { ...EXPECTED, faults: [...EXPECTED.faults, { id: 'f2-latency', label: 'phase storm, fault 1' }, { id: 'f3-slicer', label: 'step 3' }] };
    const records = [...healthy(), fault('apply-failed', 'f2-latency', 5000, 'Toxiproxy addToxic(c, f2-latency-downstream) failed: unreachable')];
    expect(check(records, CHECKED, expected)).toEqual([
      'fault f2-latency (phase storm, fault 1) was never applied: Toxiproxy addToxic(c, f2-latency-downstream) failed: unreachable',
      'fault f3-slicer (step 3) was never applied: Toxiproxy never confirmed it',
    ]);
    const unhealed = healthy().filter((r) => !(r.type === 'fault' && r.action === 'heal'));
    expect(check(unhealed)).toEqual(['fault f1-outage (phase outage, fault 1) was applied but its heal was never confirmed']);
    expect(check([...unhealed, fault('heal-failed', 'f1-outage', 5000, 'Toxiproxy setEnabled failed: unreachable')])).toEqual([
      'fault f1-outage (phase outage, fault 1) was applied but its heal failed: Toxiproxy setEnabled failed: unreachable',
    ]);
  });

  it('the planned access changes must be applied, to the scenario\'s share', () => {
    const failing = healthy().map((r) => (r.type === 'access' ? { ...r, ok: false } : r));
    expect(check(failing)).toEqual([
      'only 0 of 1 planned access changes were applied (at least 1 needed; 1 failed): the time-aware part of the oracle was barely exercised',
    ]);
    // A floor, not all: 9 of 10 applied meets 0.9.
    const ten = { ...EXPECTED, accessChanges: { planned: 10, share: 0.9 } };
    const nine = Array.from({ length: 9 }, (_, i) => access(transfer, 6000 + i, 6050 + i));
    expect(check([...healthy().filter((r) => r.type !== 'access'), ...nine], CHECKED, ten)).toEqual([]);
    expect(check([...healthy().filter((r) => r.type !== 'access'), ...nine.slice(1)], CHECKED, ten)).toHaveLength(1);
  });

  it('every surface must have been exercised, per user of the world', () => {
    expect(check(healthy(), { list: 10, stream: 1, thumbnail: 0, cameras: 4 })).toEqual([
      'only 1 pushed events checked (at least 2 needed for 4 users)',
      'only 0 thumbnails checked (at least 2 needed for 4 users)',
    ]);
  });

  it('a phase that began far later than planned: the harness could not keep its schedule', () => {
    // A starved process: the outage and what follows ran 3 s late, squeezed into the end of the run.
    const late = healthy().map((r) => (r.type === 'phase' && r.name !== 'warm-up' ? { ...r, t: r.t + 3000 } : r));
    expect(check(late)[0]).toBe('phase outage began 3.0 s late (planned at 4.0 s): the harness could not keep its schedule, likely a machine too busy to run it');
    // Timers slip a little on any busy machine: that is no shortfall.
    const slipped = healthy().map((r) => (r.type === 'phase' && r.name !== 'warm-up' ? { ...r, t: r.t + 900 } : r));
    expect(check(slipped).filter((s) => s.includes('late'))).toEqual([]);
  });

  it('a load that never began is one shortfall, not one per thing it would have done', () => {
    expect(check([], { list: 0, stream: 0, thumbnail: 0, cameras: 0 })).toEqual(['the load never started: nothing the run set out to test happened']);
  });

  it('holds phases the plan does not name, or names with 0, to nothing', () => {
    const records = [phase('extra', 0), ...healthy().slice(1)];
    const found = check(records, CHECKED, { ...EXPECTED, connected: { outage: 0, steady: 0.6 } });
    expect(found).toEqual([]);
  });
});
