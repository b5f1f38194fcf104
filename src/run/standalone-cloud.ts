/**
 * An embedded cloud with nothing in front of it, for commands that check one rather than storm it (`conform
 * --cloud mqtt`): its Redis is the configured one or a private one, and it is reached directly, with no proxies.
 */
import { UsageError } from '../errors.ts';
import { keepSecret } from '../protocol/redact.ts';
import { ensureRedis } from '../services/redis.ts';
import { cloudKind, cloudPorts, type EmbeddedCloudKind } from './clouds.ts';

export interface StandaloneCloud {
  kind: EmbeddedCloudKind;
  /** Its endpoints by the names its own adapter declares. */
  urls: Record<string, string>;
  /** What its adapter needs in `ctx.options` (its admin token), registered as secrets. */
  options: Record<string, string>;
  /** Stops the cloud, then the Redis if it was started for it. */
  stop(): Promise<void>;
}

/** Starts cloud `name` with leak-zoo bug `bug`; a bad name or bug is a usage error before anything starts. */
export async function startStandaloneCloud(name: string, bug: string): Promise<StandaloneCloud> {
  const kind = cloudKind(name);
  if (!kind.bugs.includes(bug)) throw new UsageError(`--cloud ${name} has no bug ${bug}`, `pick one of ${kind.bugs.join(', ')}`);
  const redis = await ensureRedis();
  try {
    const { ports, shardPorts } = await cloudPorts(kind);
    const urls = kind.urls(ports);
    const cloud = await kind.start({ urls, ports, shardPorts, redisUrl: redis.url, bug });
    for (const secret of Object.values(cloud.options)) keepSecret(secret);
    return {
      kind,
      urls,
      options: cloud.options,
      stop: async () => {
        await cloud.stop();
        await redis.stop();
      },
    };
  } catch (error) {
    await redis.stop();
    throw error;
  }
}
