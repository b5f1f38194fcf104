/** The observation collector over real HTTP: authentication, bounds, duplicate batches, per-worker counts, shares and tallies. */
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../../src/run/fleet/collector.ts';
import type { HistoryRecord } from '../../../src/world/history.ts';

let collector: Collector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

async function start(options: { maxBodyBytes?: number; maxRecordsPerBatch?: number } = {}): Promise<{ collector: Collector; got: HistoryRecord[] }> {
  const got: HistoryRecord[] = [];
  collector = await startCollector({ recorder: { record: (record) => got.push(record) }, ...options });
  return { collector, got };
}

function post(c: Collector, body: unknown, token = c.token): Promise<Response> {
  return fetch(c.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
}

const welcome = (cameraId: string): HistoryRecord => ({ type: 'camera', t: 1, cameraId, state: 'welcome' });

describe('collector', () => {
  it('listens on loopback and hands every record of a batch to the recorder in order', async () => {
    const { collector: c, got } = await start();
    expect(new URL(c.url).hostname).toBe('127.0.0.1');
    const records = [welcome('c1'), { type: 'acked', t: 2, cameraId: 'c1', eventId: 'c1.e1' }];
    expect((await post(c, { worker: 0, stream: 1, sequence: 0, records })).status).toBe(204);
    expect(got).toEqual(records);
    expect(c.received().get(0)).toBe(2);
  });

  it('refuses a wrong or missing token, records nothing, and counts the refusal', async () => {
    const { collector: c, got } = await start();
    expect((await post(c, { worker: 0, stream: 1, sequence: 0, records: [welcome('c1')] }, 'wrong')).status).toBe(401);
    const bare = await fetch(c.url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(5000) });
    expect(bare.status).toBe(401);
    expect(got).toEqual([]);
    expect(c.refused()).toBe(2);
  });

  it('bounds the body size and the records per batch', async () => {
    const { collector: c, got } = await start({ maxBodyBytes: 2000, maxRecordsPerBatch: 3 });
    const big = Array.from({ length: 40 }, (_, i) => welcome(`camera-${i}`));
    expect((await post(c, { worker: 0, stream: 1, sequence: 0, records: big })).status).toBe(413);
    const four = big.slice(0, 4);
    expect((await post(c, { worker: 0, stream: 1, sequence: 1, records: four })).status).toBe(400);
    expect(got).toEqual([]);
  });

  it('answers garbage with 400 and one clear message, and other paths with 404', async () => {
    const { collector: c } = await start();
    const notJson = await post(c, 'not json');
    expect(notJson.status).toBe(400);
    const wrongType = await post(c, { worker: 0, stream: 1, sequence: 0, records: [{ type: 'nonsense', t: 1 }] });
    expect(wrongType.status).toBe(400);
    expect(JSON.stringify(await wrongType.json())).toContain('records.0.type');
    const elsewhere = await fetch(c.url.replace('/records', '/other'), { method: 'POST', signal: AbortSignal.timeout(5000) });
    expect(elsewhere.status).toBe(404);
  });

  it('says how far a worker has shipped only through batches taken in order, and when it is done', async () => {
    const marks: [number, number][] = [];
    const done: number[] = [];
    collector = await startCollector({ recorder: { record: () => undefined }, shipped: (worker, through) => marks.push([worker, through]), done: (worker) => done.push(worker) });
    const c = collector;
    // Batch 1 overtook batch 0 in flight: it says nothing until batch 0 arrives, then both count.
    expect((await post(c, { worker: 2, stream: 0, sequence: 1, through: 2000, records: [welcome('c1')] })).status).toBe(204);
    expect(marks).toEqual([]);
    expect((await post(c, { worker: 2, stream: 0, sequence: 0, through: 1000, records: [] })).status).toBe(204);
    expect(marks).toEqual([[2, 2000]]);
    // A retry of a batch already taken moves nothing; a worker's next batch does.
    expect((await post(c, { worker: 2, stream: 0, sequence: 0, through: 1000, records: [] })).status).toBe(204);
    expect((await post(c, { worker: 2, stream: 0, sequence: 2, through: 2500, records: [] })).status).toBe(204);
    expect(marks).toEqual([[2, 2000], [2, 2500]]);
    expect((await post(c, { worker: 2, tally: { records: 1, batchesFailed: 0, cameras: [], users: [] } })).status).toBe(204);
    expect(done).toEqual([2]);
  });

  it('takes a retried batch once, and keeps each worker\'s count and share apart', async () => {
    const { collector: c, got } = await start();
    const batch = { worker: 1, stream: 7, sequence: 3, records: [welcome('c1'), { type: 'user', t: 1, userId: 'u1', state: 'login' }] };
    expect((await post(c, batch)).status).toBe(204);
    expect((await post(c, batch)).status).toBe(204);
    expect((await post(c, { worker: 0, stream: 7, sequence: 3, records: [welcome('c2')] })).status).toBe(204);
    expect(got).toHaveLength(3);
    expect(c.received()).toEqual(new Map([[1, 2], [0, 1]]));
    expect([...c.shares().get(1)!.cameras]).toEqual(['c1']);
    expect([...c.shares().get(1)!.users]).toEqual(['u1']);
    expect([...c.shares().get(0)!.cameras]).toEqual(['c2']);
  });

  it('keeps each worker\'s tally, answers the run\'s clock to a GET, and refuses a malformed tally', async () => {
    collector = await startCollector({ recorder: { record: () => undefined }, startedAt: 1234 });
    const c = collector;
    expect((await post(c, { worker: 2, tally: { records: 40, batchesFailed: 1, cameras: [0, 2], users: [] } })).status).toBe(204);
    expect((await post(c, { worker: 0, tally: { records: -1, batchesFailed: 0 } })).status).toBe(400);
    expect(c.tallies()).toEqual(new Map([[2, { records: 40, batchesFailed: 1, cameras: [0, 2], users: [] }]]));
    const clock = await fetch(c.url, { headers: { authorization: `Bearer ${c.token}` }, signal: AbortSignal.timeout(5000) });
    expect(await clock.json()).toEqual({ startedAt: 1234, fingerprint: null, workers: null });
    const stranger = await fetch(c.url, { signal: AbortSignal.timeout(5000) });
    expect(stranger.status).toBe(401);
  });
});
