/**
 * chatgpt-2023: on March 20, 2023 ChatGPT showed some users other users' chat titles and, for 1.2% of the Plus
 * subscribers active in a nine-hour window, payment details. The cause was redis-py (CVE-2023-28858/28859): a
 * request cancelled after its command was sent but before its reply was read handed its pooled connection back
 * with that reply still on it, and the next request on the connection read it as its own.
 *
 * The model is the cloud's cache client built the same way: a small pool of raw RESP connections
 * (resp-connection.ts), each request taking one, sending, and reading "the next reply". A request that runs past
 * the cloud's cache timeout gives up and returns the connection to the pool as it is. With a fast cache nothing
 * times out and every answer is the request's own; once cache latency passes the timeout, token -> user lookups
 * start answering with other sessions' users, and event pages with other users' pages.
 */
import type { CloudBug, KeyValueCache } from '../seams.ts';
import { RespConnection, parseRedisUrl, type RespEndpoint } from './resp-connection.ts';

/** Connections in the pool, small as in a web worker's default pool. */
const POOL_SIZE = 4;
/** How long start() waits for a first connection before the cloud serves without the cache. */
const START_WAIT_MS = 1_000;

class CacheTimeout extends Error {
  constructor(ms: number) {
    super(`cache command timed out after ${ms} ms`);
  }
}

/** Hands out idle connections, opens new ones up to POOL_SIZE, and queues requests beyond that. */
class ConnectionPool {
  private readonly idle: RespConnection[] = [];
  private readonly waiting: ((connection: RespConnection | Error) => void)[] = [];
  private opened = 0;
  private closed = false;

  constructor(
    private readonly endpoint: RespEndpoint,
    private readonly connectTimeoutMs: number,
  ) {}

  async acquire(): Promise<RespConnection> {
    if (this.closed) throw new Error('the cache client is closed');
    for (let connection = this.idle.pop(); connection; connection = this.idle.pop()) {
      if (connection.usable) return connection;
      this.opened--;
    }
    if (this.opened < POOL_SIZE) {
      this.opened++;
      try {
        return await RespConnection.open(this.endpoint, this.connectTimeoutMs);
      } catch (error) {
        this.opened--;
        throw error;
      }
    }
    return new Promise((resolve, reject) => this.waiting.push((next) => (next instanceof Error ? reject(next) : resolve(next))));
  }

  /** Back into the pool as it is: like redis-py 4.5.2, nothing checks for a reply still pending on it. */
  release(connection: RespConnection): void {
    if (this.closed || !connection.usable) {
      this.opened--;
      connection.close();
      // A request queued behind a broken connection gets a fresh one instead.
      const next = this.waiting.shift();
      if (next) this.acquire().then(next, (error: Error) => next(error));
      return;
    }
    const next = this.waiting.shift();
    if (next) next(connection);
    else this.idle.push(connection);
  }

  close(): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.close();
    for (const next of this.waiting.splice(0)) next(new Error('the cache client is closed'));
  }
}

export function pooledRespCache(url: string, timeoutMs: number): KeyValueCache {
  const pool = new ConnectionPool(parseRedisUrl(url), Math.max(timeoutMs, START_WAIT_MS));

  /** One command within the timeout; on timeout the request is cancelled wherever it is, as asyncio does. */
  async function command(args: readonly string[]): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new CacheTimeout(timeoutMs)), timeoutMs)));
    const acquiring = pool.acquire();
    try {
      let connection: RespConnection;
      try {
        connection = await Promise.race([acquiring, expired]);
      } catch (error) {
        // Cancelled before anything was sent: the connection it was about to get goes straight back, clean.
        if (error instanceof CacheTimeout) acquiring.then((late) => pool.release(late), () => undefined);
        throw error;
      }
      try {
        connection.send(args);
        return await Promise.race([connection.read(), expired]);
      } catch (error) {
        // The flaw: cancelled after sending, the reply is abandoned on a connection that goes back to the pool.
        if (error instanceof CacheTimeout) connection.abandonRead();
        throw error;
      } finally {
        pool.release(connection);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async get(key) {
      const reply = await command(['GET', key]);
      if (reply === null || typeof reply === 'string') return reply;
      throw new Error('unexpected reply to GET');
    },
    async set(key, value, ttlSeconds) {
      await command(['SET', key, value, 'EX', String(ttlSeconds)]);
    },
    async start() {
      const gaveUp = new Promise<void>((resolve) => setTimeout(resolve, START_WAIT_MS).unref());
      const first = pool.acquire().then((connection) => pool.release(connection));
      await Promise.race([first.catch(() => undefined), gaveUp]);
    },
    async close() {
      pool.close();
    },
  };
}

export const chatgpt2023: CloudBug = {
  name: 'chatgpt-2023',
  summary: 'Mar 2023: a pooled cache connection keeps the reply of a timed-out request, and the next request reads it',
  cache: (env, correct) => (env.redisUrl === undefined ? correct : pooledRespCache(env.redisUrl, env.cacheTimeoutMs)),
};
