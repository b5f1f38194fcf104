import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/exit.ts';
import { freePort } from '../../src/services/ports.ts';
import { ensureRedis } from '../../src/services/redis.ts';
import { probeRedis } from '../../src/services/redis-probe.ts';

describe('ensureRedis', () => {
  it('uses the configured Redis when it answers', async () => {
    const url = process.env.REDIS_URL!; // set by the global setup
    const redis = await ensureRedis({ url });
    expect(redis).toMatchObject({ url, started: false });
    await redis.stop();
    expect((await probeRedis(url)).reachable).toBe(true);
  });

  it('starts a private redis-server when the configured one does not answer, and stops it', async () => {
    const unreachable = `redis://127.0.0.1:${await freePort()}`;
    const redis = await ensureRedis({ url: unreachable });
    try {
      expect(redis.started).toBe(true);
      expect(redis.url).not.toBe(unreachable);
      expect(await probeRedis(redis.url)).toMatchObject({ reachable: true });
    } finally {
      await redis.stop();
    }
    expect(await probeRedis(redis.url)).toMatchObject({ reachable: false });
  });

  it('rejects a URL that is not redis://', async () => {
    await expect(ensureRedis({ url: 'http://127.0.0.1:6379' })).rejects.toThrow(UsageError);
    await expect(ensureRedis({ url: 'not a url' })).rejects.toThrow(UsageError);
  });
});
