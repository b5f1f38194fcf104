/** A real Toxiproxy in front of the test Redis, for zoo tests whose trigger is a slow cache path. */
import { randomBytes } from 'node:crypto';
import { ToxiproxyClient } from '../../src/chaos/toxiproxy.ts';
import { startToxiproxy, type ToxiproxyServer } from '../../src/services/toxiproxy-server.ts';
import { REDIS_URL } from '../helpers/cloud.ts';

export interface CacheProxy {
  client: ToxiproxyClient;
  /** The proxy's name, for toxics. */
  name: string;
  /** redis:// URL of the proxy, for the cloud. */
  redisUrl: string;
  stop(): Promise<void>;
}

export async function startCacheProxy(): Promise<CacheProxy> {
  const server: ToxiproxyServer = await startToxiproxy();
  try {
    const client = new ToxiproxyClient(server.url, 5_000);
    const redis = new URL(REDIS_URL);
    const name = `zoo-cache-${randomBytes(4).toString('hex')}`;
    const info = await client.createProxy({ name, upstream: `${redis.hostname}:${redis.port || 6379}` });
    return {
      client,
      name,
      redisUrl: `redis://${info.listen}`,
      stop: async () => {
        await client.deleteProxy(name).catch(() => undefined);
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
