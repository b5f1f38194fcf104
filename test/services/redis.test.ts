import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
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

  it('removes its private folder even when the process quits at once (a second Ctrl-C calls process.exit)', async () => {
    const unreachable = `redis://127.0.0.1:${await freePort()}`;
    const script = `
      const { ensureRedis } = await import(${JSON.stringify(new URL('../../src/services/redis.ts', import.meta.url).href)});
      await ensureRedis({ url: ${JSON.stringify(unreachable)} });
      const { readdirSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      console.log(tmpdir() + '/' + readdirSync(tmpdir()).find((name) => name.startsWith('stampede-redis-pid' + process.pid + '-')));
      process.exit(130);
    `;
    const folder = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000 }, (error, stdout) =>
        error && error.code !== 130 ? reject(error) : resolve(stdout.trim())),
    );
    expect(folder).toMatch(/stampede-redis-pid\d+-/);
    expect(existsSync(folder)).toBe(false);
  });
});
