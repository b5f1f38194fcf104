/**
 * The correct cache client: ioredis, tuned so a sick Redis costs latency and misses, never wrong answers or
 * unbounded memory. Commands fail fast while disconnected (no offline queue) and time out quickly; ioredis keeps
 * reconnecting in the background, so the cache comes back by itself after an outage.
 */
import { Redis } from 'ioredis';
import type { KeyValueCache } from '../seams.ts';

export interface RedisCacheOptions {
  url: string;
  /** How long one command may take before the caller falls back to the system of record. */
  commandTimeoutMs: number;
  log: (line: string) => void;
}

/** How long start() waits for a first connection before the cloud serves without the cache. */
const START_WAIT_MS = 1_000;

export function redisCache({ url, commandTimeoutMs, log }: RedisCacheOptions): KeyValueCache {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: START_WAIT_MS,
    enableAutoPipelining: true,
    // Keep trying, at most once a second, for as long as the cloud runs.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  // One line per outage, not one per failed reconnect. The URL may hold a password, so it is never logged.
  let reachable = true;
  redis.on('error', (error: Error) => {
    if (!reachable) return;
    reachable = false;
    log(`cache unreachable (${error.message}); serving from the system of record until it is back`);
  });
  redis.on('ready', () => {
    if (reachable) return;
    reachable = true;
    log('cache reachable again');
  });

  /**
   * A timed-out command stays in ioredis's reply queue: if its reply was lost on a connection that stays open
   * (a proxy dropping bytes), every later reply would pair with the wrong command, which is exactly how
   * CVE-2023-28858 showed ChatGPT users each other's data. So a timeout ends the connection; a fresh one
   * starts with an empty queue.
   */
  const dropOnTimeout = (error: unknown): never => {
    if (error instanceof Error && error.message === 'Command timed out' && redis.status === 'ready') redis.disconnect(true);
    throw error;
  };

  return {
    async get(key) {
      return redis.get(key).catch(dropOnTimeout);
    },
    async set(key, value, ttlSeconds) {
      await redis.set(key, value, 'EX', ttlSeconds).catch(dropOnTimeout);
    },
    async start() {
      const gaveUp = new Promise<void>((resolve) => setTimeout(resolve, START_WAIT_MS).unref());
      await Promise.race([redis.connect().catch(() => undefined), gaveUp]);
    },
    async close() {
      const quit = redis.quit().catch(() => undefined);
      const gaveUp = new Promise<void>((resolve) => setTimeout(resolve, commandTimeoutMs).unref());
      await Promise.race([quit, gaveUp]);
      redis.disconnect(false);
    },
  };
}

/** The client when no cache server is configured: every read misses, every write is dropped. */
export function noCache(): KeyValueCache {
  return {
    get: async () => null,
    set: async () => undefined,
    start: async () => undefined,
    close: async () => undefined,
  };
}
