import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/services/ports.ts';
import { REDIS_URL, startTestCloud } from '../helpers/cloud.ts';
import { runIsolationScript } from './isolation-script.ts';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
});
afterAll(() => redis.quit());

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  for (let round = 0; round < 10_000; round++) {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    keys.push(...batch);
    cursor = next;
    if (cursor === '0') break;
  }
  return keys;
}

describe('the cache', () => {
  it('is really used: token, camera and feed keys appear under the instance prefix, with TTLs, and reads hit', async () => {
    const t = await startTestCloud();
    try {
      await runIsolationScript(t);
      const stats = t.cloud.cacheStats();
      expect(stats.hits).toBeGreaterThan(0);
      expect(stats.errors).toBe(0);
      const keys = await keysUnder(t.cloud.keyPrefix);
      for (const kind of ['tok', 'cam', 'feed']) expect(keys.some((key) => key.includes(`:${kind}:`)), kind).toBe(true);
      for (const key of keys.slice(0, 20)) expect(await redis.ttl(key)).toBeGreaterThan(0);
      expect(keys.every((key) => key.startsWith(t.cloud.keyPrefix))).toBe(true);
    } finally {
      await t.cloud.stop();
    }
  });

  it('two clouds on one Redis never share keys', async () => {
    const [one, two] = await Promise.all([startTestCloud(), startTestCloud()]);
    try {
      expect(one.cloud.keyPrefix).not.toBe(two.cloud.keyPrefix);
      await Promise.all([runIsolationScript(one), runIsolationScript(two)]);
    } finally {
      await Promise.all([one.cloud.stop(), two.cloud.stop()]);
    }
  });

  it('with Redis unreachable the cloud starts, warns once and answers correctly from the system of record', async () => {
    const lines: string[] = [];
    const t = await startTestCloud({ redisUrl: `redis://127.0.0.1:${await freePort()}`, log: (line) => lines.push(line) });
    try {
      await runIsolationScript(t);
      expect(t.cloud.cacheStats().hits).toBe(0);
      expect(t.cloud.cacheStats().errors).toBeGreaterThan(0);
      expect(lines.filter((line) => line.startsWith('cache unreachable'))).toHaveLength(1);
    } finally {
      await t.cloud.stop();
    }
  });

  it('never logs the admin token', async () => {
    const lines: string[] = [];
    const t = await startTestCloud({ log: (line) => lines.push(line) });
    try {
      await runIsolationScript(t);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain(t.adminToken);
    } finally {
      await t.cloud.stop();
    }
  });
});
