import { afterEach, describe, expect, it } from 'vitest';
import { type CloudProcess, REDIS_URL, runCli, spawnCloudCli } from '../helpers/cloud.ts';

const running: CloudProcess[] = [];
afterEach(() => {
  for (const cloud of running.splice(0)) if (cloud.child.exitCode === null) cloud.child.kill('SIGKILL');
});

describe('stampede target', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints "listening <port>" first, serves, and exits 0 on ${signal}`, async () => {
      const cloud = await spawnCloudCli(['--admin-token', 'cli-secret-token', '--redis', REDIS_URL]);
      running.push(cloud);
      const health = await fetch(`${cloud.url}/v1/health`);
      expect(health.status).toBe(200);
      const seed = await fetch(`${cloud.url}/v1/admin/world`, {
        method: 'PUT',
        headers: { authorization: 'Bearer cli-secret-token' },
        body: JSON.stringify({ users: [], cameras: [], shares: [] }),
      });
      expect(seed.status).toBe(204);
      cloud.child.kill(signal);
      expect(await cloud.exited).toBe(0);
      expect(cloud.stderr()).not.toContain('cli-secret-token');
    });
  }

  it('takes the admin token from STAMPEDE_ADMIN_TOKEN and runs without Redis', async () => {
    const cloud = await spawnCloudCli(['--redis', 'none'], { STAMPEDE_ADMIN_TOKEN: 'env-token' });
    running.push(cloud);
    const seed = await fetch(`${cloud.url}/v1/admin/world`, { method: 'PUT', headers: { authorization: 'Bearer env-token' }, body: '{"users":[],"cameras":[]}' });
    expect(seed.status).toBe(204);
    cloud.child.kill('SIGTERM');
    expect(await cloud.exited).toBe(0);
  });

  it('exits 2 with one clear line on bad flags', async () => {
    const cases: [string[], RegExp][] = [
      [['target', '--port', '0', '--admin-token', 't', '--bug', 'nope'], /unknown bug "nope".*none, wyze-2024, chatgpt-2023, steam-2015, github-2021, stale-acl/],
      [['target', '--port', '0'], /no admin token/],
      [['target', '--port', '70000', '--admin-token', 't'], /port/],
      [['target', '--admin-token', 't'], /--port/],
      [['target', '--port', '0', '--admin-token', 't', '--redis', 'http://x'], /redis/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { STAMPEDE_ADMIN_TOKEN: '' });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
  });
});
