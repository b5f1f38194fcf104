/** The reorder window: records that arrive through the collector out of time order reach the oracle in it. */
import { describe, expect, it } from 'vitest';
import { MOST_HELD_MS, Reorder } from '../../../src/run/fleet/reorder.ts';
import type { HistoryRecord } from '../../../src/world/history.ts';

describe('Reorder', () => {
  const sent = (t: number): HistoryRecord => ({ type: 'sent', t, cameraId: 'c', eventId: `c.e${t}`, kind: 'motion', ts: t, bytes: 1, digest: 'd', check: 'k' });
  const shown = (t: number): HistoryRecord => ({ type: 'shown', surface: 'stream', start: t, t, userId: 'u', events: [] });

  it('hands records on oldest first, so a push that overtook its camera\'s record comes after it', () => {
    const out: HistoryRecord[] = [];
    const reorder = new Reorder({ record: (record) => out.push(record) }, 3000, () => 0);
    reorder.record(shown(20));
    reorder.record(sent(10));
    reorder.record(shown(15));
    reorder.flush();
    expect(out.map((record) => (record as { t: number }).t)).toEqual([10, 15, 20]);
    expect(reorder.lateRecords()).toBe(0);
  });

  it('puts a camera\'s sent before a push of the same event in the same millisecond', () => {
    const out: HistoryRecord[] = [];
    const reorder = new Reorder({ record: (record) => out.push(record) }, 3000, () => 0);
    reorder.record(shown(7));
    reorder.record({ type: 'acked', t: 7, cameraId: 'c', eventId: 'c.e7' });
    reorder.record(sent(7));
    reorder.flush();
    expect(out.map((record) => record.type)).toEqual(['sent', 'acked', 'shown']);
  });

  it('counts a record that arrives after newer ones were released', () => {
    const out: HistoryRecord[] = [];
    let now = 10_000;
    const reorder = new Reorder({ record: (record) => out.push(record) }, 1000, () => now);
    reorder.record(sent(9500));
    reorder.releaseDue();
    expect(out).toHaveLength(0); // still inside the window
    now = 20_000;
    reorder.releaseDue();
    expect(out).toHaveLength(1);
    reorder.record(sent(9000));
    reorder.flush();
    expect(out).toHaveLength(2);
    expect(reorder.lateRecords()).toBe(1);
  });

  it('says the run cannot be judged once more than 1% of the records came late, and not before', () => {
    let now = 10_000;
    const reorder = new Reorder({ record: () => undefined }, 1000, () => now);
    for (let t = 0; t < 198; t++) reorder.record(sent(t));
    now = 20_000;
    reorder.releaseDue();
    reorder.record(sent(5));
    reorder.record(sent(6));
    expect(reorder.lateProblem()).toBeUndefined(); // 2 of 200
    reorder.record(sent(7));
    expect(reorder.lateProblem()).toBe('3 of 201 records (1.5%) reached the judge after newer ones had been judged: the workers fell more than 30 s behind their fleet, or stopped saying how far they had shipped');
  });

  it('waits for a worker that ships late, counting the window from what it says it has shipped', () => {
    const out: number[] = [];
    let now = 10_000;
    const reorder = new Reorder({ record: (record) => out.push((record as { t: number }).t) }, 1000, () => now);
    reorder.shipped(0, 10_000);
    reorder.shipped(1, 10_000);
    // Worker 0 keeps up; worker 1 is starved and says nothing for 6 s.
    reorder.record(sent(10_500));
    now = 16_000;
    reorder.shipped(0, 16_000);
    reorder.record(sent(15_800));
    reorder.releaseDue();
    expect(out).toEqual([]); // worker 1 last said 10,000: nothing after 9,000 goes
    // Its batch from 6 s ago arrives with records older than worker 0's: they still come first.
    reorder.record(sent(10_200));
    reorder.shipped(1, 10_300);
    reorder.shipped(1, 10_250); // an older word never moves a worker back
    reorder.releaseDue();
    expect(out).toEqual([]);
    reorder.shipped(1, 16_000);
    reorder.releaseDue();
    expect(out).toEqual([10_200, 10_500]);
    expect(reorder.lateRecords()).toBe(0);
    expect(reorder.mostBehindMs()).toBe(6_000); // at 16,000 worker 1 had said no more than 10,000
    // A worker that is done is no longer waited for: the window counts from the clock again.
    reorder.done(1);
    reorder.shipped(0, 40_000);
    now = 17_000;
    reorder.releaseDue();
    expect(out).toEqual([10_200, 10_500, 15_800]);
    reorder.flush();
  });

  it('holds nothing longer than MOST_HELD_MS for a worker that went silent, and counts what it sends after that as late', () => {
    const out: number[] = [];
    let now = 1_000;
    const reorder = new Reorder({ record: (record) => out.push((record as { t: number }).t) }, 1000, () => now);
    reorder.shipped(0, 1_000);
    reorder.record(sent(2_000));
    now = 2_000 + MOST_HELD_MS - 1;
    reorder.releaseDue();
    expect(out).toEqual([]);
    now = 2_000 + MOST_HELD_MS + 1;
    reorder.releaseDue();
    expect(out).toEqual([2_000]);
    reorder.record(sent(1_500));
    expect(reorder.lateRecords()).toBe(1);
    reorder.flush();
  });

  it('puts the orchestrator\'s outage between the welcomes before it and the closes after it, whichever arrived first', () => {
    const out: HistoryRecord[] = [];
    const reorder = new Reorder({ record: (record) => out.push(record) }, 3000, () => 0);
    // The fault is recorded the moment it starts; a worker's welcome from before it comes in its next batch.
    reorder.record({ type: 'fault', t: 500, id: 'f1', fault: 'outage', path: 'client', action: 'start' });
    reorder.record({ type: 'camera', t: 100, cameraId: 'c', state: 'welcome' });
    reorder.record({ type: 'camera', t: 600, cameraId: 'c', state: 'closed', code: 1006 });
    reorder.flush();
    expect(out.map((record) => record.type === 'camera' ? record.state : record.type)).toEqual(['welcome', 'fault', 'closed']);
    // Once flushed, nothing is held: a heal on the way out still reaches the run.
    reorder.record({ type: 'fault', t: 900, id: 'f1', fault: 'outage', path: 'client', action: 'heal' });
    expect(out).toHaveLength(4);
  });
});
