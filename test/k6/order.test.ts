/** Pure pieces of the k6 engine: execution segments, instance numbers from segments, and the reorder window. */
import { describe, expect, it } from 'vitest';
import { instanceOf } from '../../scenarios/k6/lib/instance.ts';
import { Reorder } from '../../src/run/engines/k6/reorder.ts';
import { segments } from '../../src/run/engines/k6/segments.ts';
import type { HistoryRecord } from '../../src/world/history.ts';

describe('segments', () => {
  it('cuts [0, 1] into N adjacent slices on one shared sequence', () => {
    expect(segments(1)).toEqual([{ segment: '0:1', sequence: '0,1' }]);
    expect(segments(3)).toEqual([
      { segment: '0:1/3', sequence: '0,1/3,2/3,1' },
      { segment: '1/3:2/3', sequence: '0,1/3,2/3,1' },
      { segment: '2/3:1', sequence: '0,1/3,2/3,1' },
    ]);
  });

  it('refuses a count that is not a whole number >= 1', () => {
    expect(() => segments(0)).toThrow(RangeError);
    expect(() => segments(1.5)).toThrow(RangeError);
  });
});

describe('instanceOf', () => {
  it('prefers the number the orchestrator gave', () => {
    expect(instanceOf(4, '1/3:2/3', '0,1/3,2/3,1')).toBe(4);
  });

  it('numbers a pod by its segment\'s place in the sequence, as k6-operator hands them out', () => {
    const sequence = segments(3)[0]!.sequence;
    expect(segments(3).map(({ segment }) => instanceOf(undefined, segment, sequence))).toEqual([0, 1, 2]);
    expect(instanceOf(undefined, '50%:100%', '0,0.5,1')).toBe(1);
  });

  it('is 0 for an unsegmented run and distinct per segment without a sequence', () => {
    expect(instanceOf(undefined, null, null)).toBe(0);
    expect(instanceOf(undefined, '0:1/2', '')).not.toBe(instanceOf(undefined, '1/2:1', ''));
  });
});

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

  it('puts the orchestrator\'s outage between the welcomes before it and the closes after it, whichever arrived first', () => {
    const out: HistoryRecord[] = [];
    const reorder = new Reorder({ record: (record) => out.push(record) }, 3000, () => 0);
    // The fault is recorded the moment it starts; the VUs' welcome from before it comes in their next batch.
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
