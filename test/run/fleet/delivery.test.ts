/**
 * Whether a split fleet delivered everything: a lost record, a missing tally, a client simulated twice or records
 * from a stranger each make the run unjudgeable; a complete fleet gives each worker's share.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../../src/run/fleet/collector.ts';
import { judgeDelivery, type WorkerOutcome } from '../../../src/run/fleet/delivery.ts';
import type { HistoryRecord } from '../../../src/world/history.ts';

let collector: Collector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

const welcome = (cameraId: string): HistoryRecord => ({ type: 'camera', t: 1, cameraId, state: 'welcome' });
const login = (userId: string): HistoryRecord => ({ type: 'user', t: 1, userId, state: 'login' });

/** A real collector that has received these batches, one per worker, each on stream 0. */
async function received(batches: Record<number, HistoryRecord[]>): Promise<Collector> {
  collector = await startCollector({ recorder: { record: () => undefined } });
  for (const [worker, records] of Object.entries(batches)) {
    const response = await fetch(collector.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ worker: Number(worker), stream: 0, sequence: 0, records }),
      signal: AbortSignal.timeout(5000),
    });
    expect(response.status).toBe(204);
  }
  return collector;
}

const told = (index: number, records: number): WorkerOutcome => ({ index, tally: { records, batchesFailed: 0, cameras: [], users: [] }, trouble: '' });

describe('judgeDelivery', () => {
  it('passes a fleet whose every record arrived, with each worker\'s share', async () => {
    const c = await received({ 0: [welcome('c1'), login('u1')], 1: [welcome('c2'), welcome('c3'), login('u2')] });
    const lines: string[] = [];
    const delivery = judgeDelivery([told(0, 2), told(1, 3)], c, (line) => lines.push(line), false);
    expect(delivery.problems).toEqual([]);
    expect(delivery.workers).toEqual([
      { worker: 1, cameras: 1, users: 1, recordsSent: 2, recordsReceived: 2 },
      { worker: 2, cameras: 2, users: 1, recordsSent: 3, recordsReceived: 3 },
    ]);
    expect(lines[1]).toBe('worker 2 of 2: 2 cameras, 1 users; 3 records made (0 batches given up), 3 received');
  });

  it('calls a lost record and a missing tally problems, naming the worker', async () => {
    const c = await received({ 0: [welcome('c1')], 1: [welcome('c2')] });
    const delivery = judgeDelivery([told(0, 2), { index: 1, tally: undefined, trouble: 'exit 137' }], c, () => undefined, false);
    expect(delivery.problems).toEqual(['worker 1 of 2 made 2 records but the collector received 1', 'worker 2 of 2 gave no tally (exit 137)']);
    expect(delivery.workers[1]).toEqual({ worker: 2, cameras: 1, users: 0, recordsSent: null, recordsReceived: 1 });
  });

  it('calls a client simulated by two workers, and records from a worker the run does not have, problems', async () => {
    const c = await received({ 0: [welcome('c1')], 1: [welcome('c1')], 5: [login('u9')] });
    const delivery = judgeDelivery([told(0, 1), told(1, 1)], c, () => undefined, false);
    expect(delivery.problems).toEqual(['c1 was simulated by workers 1 and 2', 'records came from worker 6, which is not one of this run\'s 2']);
  });

  it('after Ctrl-C forgives a missing tally, but never a client simulated twice', async () => {
    const c = await received({ 0: [welcome('c1')], 1: [welcome('c1')] });
    const delivery = judgeDelivery([told(0, 5), { index: 1, tally: undefined, trouble: 'stopped' }], c, () => undefined, true);
    expect(delivery.problems).toEqual(['c1 was simulated by workers 1 and 2']);
  });
});
