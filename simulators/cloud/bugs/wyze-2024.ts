/**
 * wyze-2024: in February 2024, after an AWS outage, every Wyze camera came back at once, and a third-party caching
 * client library newly added to Wyze's system, under that unprecedented load, "mixed up device ID and user ID
 * mappings and connected some data to incorrect accounts": ~13,000 users were shown thumbnails from other users'
 * cameras, and 1,504 of them tapped one.
 *
 * The model is such a client library in the device-to-owner lookup that device hellos and device events make.
 * It holds a pool of connections; while one is free, a read gets its own and is exact. When every connection is
 * busy (a reconnect storm: more than POOL_SIZE lookups pending at once), it switches to batching: reads queued in
 * a short window are sent together, split by shard, one multi-get per shard, and the library concatenates the
 * shards' answers in the order the shards replied while its waiters stay in request order. Every batch that
 * spans shards hands one device's mapping to another device, and the cloud, trusting its mapping, files that
 * device's events (thumbnails included) under another camera and its owner's account: right label, someone
 * else's picture. Under light load (batches of one) the mapping is exact.
 */
import { hashText } from '../../../src/world/random.ts';
import type { CameraRecord } from '../store.ts';
import type { CachedPartEnv, CameraLookup, CloudBug, KeyValueCache } from '../seams.ts';

/** How long a device's mapping stays in the cache. */
const MAPPING_TTL_S = 600;

/** Connections of the client's pool: below this many concurrent reads, nothing is ever batched. */
export const POOL_SIZE = 32;
/** Shards a batch is split over, one connection each. */
const SHARDS = 4;
/** How long a saturated client gathers queued reads before sending them as one batch. */
const BATCH_WINDOW_MS = 10;
/** A batch never takes more than this many queued reads, as a real multi-get is bounded. */
const MAX_BATCH = 512;

interface Waiter {
  key: string;
  resolve(value: string | null): void;
  reject(error: unknown): void;
}

/** The batching client over `connection`, the correct single-key client. */
export function batchingCache(connection: KeyValueCache): KeyValueCache {
  let busy = 0;
  let queue: Waiter[] = [];
  let flushTimer: NodeJS.Timeout | undefined;

  const flush = (): void => {
    flushTimer = undefined;
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(MAX_BATCH);
    if (queue.length > 0) flushTimer = setTimeout(flush, BATCH_WINDOW_MS);
    void multiGet(batch);
  };

  async function multiGet(batch: Waiter[]): Promise<void> {
    const shards = new Map<number, string[]>();
    for (const { key } of batch) {
      const shard = shardOf(key);
      const keys = shards.get(shard);
      if (keys) keys.push(key);
      else shards.set(shard, [key]);
    }
    try {
      // The flaw: each shard's answers are appended as that shard replies, then handed out in the order the
      // reads were queued, as if the two orders were the same.
      const answers: (string | null)[] = [];
      await Promise.all([...shards.values()].map(async (keys) => answers.push(...(await Promise.all(keys.map((key) => connection.get(key)))))));
      batch.forEach((waiter, index) => waiter.resolve(answers[index] ?? null));
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    }
  }

  return {
    async get(key) {
      if (busy >= POOL_SIZE) {
        // Saturated, the library stops spending a connection per key: it gathers what queues up for a moment.
        return new Promise((resolve, reject) => {
          queue.push({ key, resolve, reject });
          flushTimer ??= setTimeout(flush, BATCH_WINDOW_MS);
        });
      }
      busy++;
      try {
        return await connection.get(key);
      } finally {
        busy--;
      }
    },
    set: (key, value, ttlSeconds) => connection.set(key, value, ttlSeconds),
    start: () => connection.start(),
    async close() {
      clearTimeout(flushTimer);
      for (const waiter of queue.splice(0)) waiter.reject(new Error('the cache client is closed'));
      await connection.close();
    },
  };
}

/** A stable shard per key (FNV-1a), as a client-side sharding library computes it. */
function shardOf(key: string): number {
  return hashText(key) % SHARDS;
}

/**
 * The device-to-owner lookup through the batching library. It trusts what the library answers (no check that
 * the mapping it got back describes the device it asked about), which is the whole incident.
 */
export function batchedMappingLookup(env: CachedPartEnv): CameraLookup {
  const library = batchingCache(env.cache);
  return async (cameraId) => {
    const generation = env.store.generation;
    const version = env.store.cameraVersion(cameraId);
    if (version === undefined) return undefined;
    const key = `${env.keyPrefix}w${generation}:map:${cameraId}:${version}`;
    const mapping = parseMapping(await library.get(key).catch(() => null));
    if (mapping) return mapping;
    const record = env.store.camera(cameraId);
    if (record) library.set(key, JSON.stringify(record), MAPPING_TTL_S).catch(() => undefined);
    return record;
  };
}

function parseMapping(text: string | null): CameraRecord | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<CameraRecord> | null;
    return typeof value?.cameraId === 'string' && typeof value.ownerId === 'string' && Array.isArray(value.sharees) ? (value as CameraRecord) : undefined;
  } catch {
    return undefined;
  }
}

export const wyze2024: CloudBug = {
  name: 'wyze-2024',
  summary: 'Feb 2024: under a reconnect storm a new caching client batches device-to-owner lookups and pairs answers by arrival order',
  cameraLookup: (env) => batchedMappingLookup(env),
};
