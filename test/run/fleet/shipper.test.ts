/** A worker's shipper: each batch says how far the worker has shipped, an idle one still says so, and an empty batch lost loses no record. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Answer, CollectorLink } from '../../../src/run/fleet/link.ts';
import { FLUSH_MS, Shipper } from '../../../src/run/fleet/shipper.ts';
import type { HistoryRecord } from '../../../src/world/history.ts';

interface Posted {
  sequence: number;
  through: number;
  records: HistoryRecord[];
}

const OK: Answer = { ok: true, status: 204, why: '', retry: false };

/** A shipper on a fake clock starting at `now`, whose link answers every post at once with `answer`, keeping what was posted. */
function startShipper(now: number, answer: Answer = OK): { shipper: Shipper; posted: Posted[] } {
  vi.useFakeTimers({ now });
  const posted: Posted[] = [];
  const link = { index: 0, count: 1, post: async (body: Posted) => (posted.push(body), answer) } as unknown as CollectorLink;
  return { shipper: new Shipper(link), posted };
}

const welcome = (t: number): HistoryRecord => ({ type: 'camera', t, cameraId: 'c', state: 'welcome' });

afterEach(() => {
  vi.useRealTimers();
});

describe('Shipper', () => {
  it('closes each batch with the clock, so the run knows the worker shipped everything made before it', async () => {
    const { shipper, posted } = startShipper(10_000);
    shipper.record(welcome(10_000));
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    shipper.record(welcome(10_300));
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    expect(posted.map(({ sequence, through, records }) => [sequence, through, records.length])).toEqual([[0, 10_250, 1], [1, 10_500, 1]]);
    await shipper.finish();
  });

  it('says how far it has shipped about once a second while it has nothing to ship', async () => {
    const { shipper, posted } = startShipper(0);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(posted.every((batch) => batch.records.length === 0)).toBe(true);
    expect(posted.map((batch) => batch.through)).toEqual([1_000, 2_000, 3_000]);
    await shipper.finish();
  });

  it('counts a lost batch of records as failed, and a lost empty one not', async () => {
    const { shipper, posted } = startShipper(0, { ok: false, status: 401, why: 'wrong token', retry: false });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(posted.map((batch) => batch.records.length)).toEqual([0]);
    expect(shipper.tally()).toEqual({ records: 0, batchesFailed: 0 });
    shipper.record(welcome(1_100));
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    expect(posted.map((batch) => batch.records.length)).toEqual([0, 1]);
    expect(shipper.tally()).toEqual({ records: 1, batchesFailed: 1 });
    await shipper.finish();
  });
});
