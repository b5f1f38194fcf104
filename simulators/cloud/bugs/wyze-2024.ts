/**
 * wyze-2024: in February 2024, after an AWS outage, every Wyze camera came back at once and a newly added
 * third-party caching client library, buckling under that load, mixed up device ids and user ids: ~13,000 users
 * were shown thumbnails of other users' cameras.
 *
 * The model is such a client library in front of the camera -> access record lookup. It holds a pool of
 * connections; while one is free, a lookup gets its own and is exact. When every connection is busy (a reconnect
 * storm: more than POOL_SIZE lookups pending at once), the queued lookups are coalesced into one batch, split by
 * shard, one multi-get per shard over its own connection, and the library concatenates the shards' answers in the
 * order the shards replied while its waiters stay in request order. Whenever a batch spans shards, devices get
 * another camera's owner and sharees, and their events (thumbnails included) are filed under the wrong account.
 */
import type { CameraLookup, CloudBug } from '../seams.ts';
import type { CameraRecord } from '../store.ts';

/** Connections of the client's pool: below this many concurrent lookups, nothing is ever batched. */
export const POOL_SIZE = 32;
/** Shards a batch is split over, one connection each. */
const SHARDS = 4;
/** A batch never takes more than this many queued lookups, as a real multi-get is bounded. */
const MAX_BATCH = 512;

interface Waiter {
  cameraId: string;
  resolve(record: CameraRecord | undefined): void;
  reject(error: unknown): void;
}

/** The batching client; `fetchOne` is the correct single-key read (cache, then system of record). */
export function batchingCameraLookup(fetchOne: CameraLookup): CameraLookup {
  let busy = 0;
  const queue: Waiter[] = [];

  const release = (): void => {
    busy--;
    if (queue.length > 0 && busy < POOL_SIZE) void runBatch(queue.splice(0, MAX_BATCH));
  };

  async function runBatch(batch: Waiter[]): Promise<void> {
    busy++;
    try {
      const shards = new Map<number, string[]>();
      for (const { cameraId } of batch) {
        const shard = shardOf(cameraId);
        const ids = shards.get(shard);
        if (ids) ids.push(cameraId);
        else shards.set(shard, [cameraId]);
      }
      // The library's flaw: each shard's answers are appended as that shard replies, then handed out in the
      // order the requests were queued, as if the two orders were the same.
      const answers: (CameraRecord | undefined)[] = [];
      await Promise.all([...shards.values()].map(async (ids) => answers.push(...(await Promise.all(ids.map(fetchOne))))));
      batch.forEach((waiter, index) => waiter.resolve(answers[index]));
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    } finally {
      release();
    }
  }

  return async (cameraId) => {
    if (busy >= POOL_SIZE) return new Promise((resolve, reject) => queue.push({ cameraId, resolve, reject }));
    busy++;
    try {
      return await fetchOne(cameraId);
    } finally {
      release();
    }
  };
}

/** A stable shard per camera id (FNV-1a), as a client-side sharding library would compute it. */
function shardOf(cameraId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < cameraId.length; i++) hash = Math.imul(hash ^ cameraId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SHARDS;
}

export const wyze2024: CloudBug = {
  name: 'wyze-2024',
  summary: 'Feb 2024: a caching client that batches lookups under a reconnect storm pairs answers by arrival order',
  cameraLookup: (_env, correct) => batchingCameraLookup(correct),
};
