import { Redis } from 'ioredis';

/** What a short look at a Redis URL found. */
export type RedisProbe =
  | { readonly reachable: true; readonly version: string | undefined }
  | { readonly reachable: false; readonly error: string };

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** PINGs `url` once with a short deadline and reads the server version; never throws. */
export async function probeRedis(url: string, timeoutMs = 1_500): Promise<RedisProbe> {
  let client: Redis;
  try {
    client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null, // one attempt: this is a probe, not a connection to keep
    });
  } catch (error) {
    return { reachable: false, error: (error as Error).message };
  }
  client.on('error', () => undefined); // without a listener ioredis turns a refused connection into a crash
  try {
    await client.connect();
    await client.ping();
    const info = await client.info('server');
    return { reachable: true, version: info.match(/^redis_version:(\S+)/m)?.[1] };
  } catch (error) {
    return { reachable: false, error: (error as Error).message };
  } finally {
    client.disconnect();
  }
}
