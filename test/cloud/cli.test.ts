import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort } from '../../src/services/ports.ts';
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

  it('serves the same cloud on every --extra-port: what one port learns, the others answer', async () => {
    const extra = [await freePort(), await freePort()];
    const cloud = await spawnCloudCli(['--redis', 'none', ...extra.flatMap((port) => ['--extra-port', String(port)])], { STAMPEDE_ADMIN_TOKEN: 'extra-token' });
    running.push(cloud);
    const world = { users: [{ userId: 'u-1', email: 'u1@example.test', password: 'pw-1' }], cameras: [{ cameraId: 'c-1', secret: 's-1', ownerId: 'u-1' }], shares: [] };
    const seeded = await fetch(`${cloud.url}/v1/admin/world`, { method: 'PUT', headers: { authorization: 'Bearer extra-token' }, body: JSON.stringify(world) });
    expect(seeded.status).toBe(204);
    for (const port of extra) {
      const login = await fetch(`http://127.0.0.1:${port}/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'u1@example.test', password: 'pw-1' }) });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const cameras = await fetch(`${cloud.url}/v1/cameras`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await cameras.json()) as { cameras: { cameraId: string }[] }).cameras.map((camera) => camera.cameraId)).toEqual(['c-1']);
      // The camera channel too: a hello on this port is welcomed by the one cloud.
      const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/device`);
      const welcome = await new Promise<unknown>((resolve, reject) => {
        socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', cameraId: 'c-1', secret: 's-1' })));
        socket.once('message', (data) => resolve(JSON.parse(String(data))));
        socket.once('error', reject);
      });
      socket.close();
      expect(welcome).toEqual({ type: 'welcome', cameraId: 'c-1' });
    }
    cloud.child.kill('SIGTERM');
    expect(await cloud.exited).toBe(0);
  });

  it('shares about 4,096 waiting connections over its ports: 511 each for up to 8, 256 each for 16', async () => {
    for (const count of [2, 15]) {
      const extra = await Promise.all(Array.from({ length: count }, () => freePort()));
      const cloud = await spawnCloudCli(['--redis', 'none', ...extra.flatMap((port) => ['--extra-port', String(port)])], { STAMPEDE_ADMIN_TOKEN: 'backlog-token' });
      running.push(cloud);
      const ports = [Number(new URL(cloud.url).port), ...extra];
      // A listening socket's Send-Q, as ss shows it, is its backlog.
      const listening = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' }).split('\n').map((line) => line.trim().split(/\s+/));
      const backlogs = ports.map((port) => Number(listening.find((fields) => fields[3] === `127.0.0.1:${port}`)?.[2]));
      expect(backlogs).toEqual(ports.map(() => (count === 2 ? 511 : 256)));
      cloud.child.kill('SIGTERM');
      expect(await cloud.exited).toBe(0);
    }
  });

  it('exits 2 with one clear line on bad flags', async () => {
    const cases: [string[], RegExp][] = [
      [['target', '--port', '0', '--admin-token', 't', '--bug', 'nope'], /unknown bug "nope".*none, wyze-2024, chatgpt-2023, steam-2015, github-2021, stale-acl/],
      [['target', '--port', '0'], /no admin token/],
      [['target', '--port', '70000', '--admin-token', 't'], /port/],
      [['target', '--admin-token', 't'], /--port/],
      [['target', '--port', '0', '--admin-token', 't', '--redis', 'http://x'], /redis/],
      [['target', '--port', '0', '--admin-token', 't', '--extra-port', '0'], /--extra-port.*1 to 65535/],
      [['target', '--port', '0', '--admin-token', 't', '--cloud', 'mqtt', '--extra-port', '40000'], /--extra-port is for the reference cloud/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { STAMPEDE_ADMIN_TOKEN: '' });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
  });
});
