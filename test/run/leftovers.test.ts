/**
 * A run killed outright (SIGKILL) in the middle of an outage leaves its proxies in an external Toxiproxy, the
 * client one disabled, and its private Redis's folder. The next run on the same Toxiproxy sweeps both and names
 * them; a proxy whose owner is still running (here: this test process) is left alone.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunProxies, type RunProxies } from '../../src/chaos/run-proxies.ts';
import { ToxiproxyClient, type ProxyInfo } from '../../src/chaos/toxiproxy.ts';
import { freePort } from '../../src/services/ports.ts';
import { startToxiproxy, type ToxiproxyServer } from '../../src/services/toxiproxy-server.ts';
import { runDir, stampede } from '../helpers/cli.ts';
import { proxiesOnce } from '../helpers/run-events.ts';
import { startCli, stopAll } from './progress-child.ts';

describe('leftovers of a killed run', () => {
  let toxiproxy: ToxiproxyServer;
  let client: ToxiproxyClient;
  let alive: RunProxies;
  beforeAll(async () => {
    toxiproxy = await startToxiproxy();
    client = new ToxiproxyClient(toxiproxy.url);
    // Another run still going on the same Toxiproxy: its owner (this process) is alive.
    alive = await createRunProxies(client, { client: { upstream: '127.0.0.1:9' }, tag: 'still-running' });
  });
  afterAll(async () => {
    stopAll();
    await alive?.remove();
    await toxiproxy?.stop();
  });

  it('are swept and named by the next run, sparing a live run\'s proxy', async () => {
    // A Redis URL nothing answers on: the embedded cloud gets a private redis-server with a temp folder.
    const noRedis = `redis://127.0.0.1:${await freePort()}`;
    // Both runs keep their temp folders apart from every other test's: any run sweeps what dead runs left in its
    // temp folder, and another test's run must not sweep this one's first.
    const temp = mkdtempSync(join(tmpdir(), 'stampede-leftovers-'));
    const killed = startCli(
      ['run', 'storm', '--cameras', '6', '--users', '3', '--seed', '9', '--duration', '40', '--toxiproxy', toxiproxy.url, '--out', runDir('killed')],
      { REDIS_URL: noRedis, TMPDIR: temp },
    );
    const owner = `stampede-pid${killed.child.pid}-`;
    // The outage in force: the killed run's client proxy disabled in Toxiproxy.
    await proxiesOnce(client, (proxies) => proxies.some((proxy) => proxy.name.startsWith(owner) && proxy.name.endsWith('-client') && !proxy.enabled), 'the outage');
    killed.child.kill('SIGKILL');
    await killed.exited;

    const left = (await client.listProxies()).filter((proxy) => proxy.name.startsWith(owner)).map((proxy) => proxy.name).sort();
    expect(left).toHaveLength(2); // client and cache
    const folders = readdirSync(temp).filter((name) => name.startsWith(`stampede-redis-pid${killed.child.pid}-`)).map((name) => join(temp, name));
    expect(folders).toHaveLength(1);

    // The next run: it sweeps at the start, then stops at a target that is not there.
    const next = await stampede(
      ['run', 'storm', '--toxiproxy', toxiproxy.url, '--target', `http://127.0.0.1:${await freePort()}`, '--admin-token', 'unused', '--duration', '10', '--out', runDir('next')],
      { timeoutMs: 60_000, env: { TMPDIR: temp } },
    );
    expect(next.code, next.stderr).toBe(3);
    const lines = next.stderr.split('\n');
    expect(lines).toContain(`stampede: swept 2 proxies left by an earlier run in Toxiproxy at ${toxiproxy.url} (${left.join(', ')})`);
    expect(lines.find((line) => line.includes('private Redis folder'))).toMatch(/^stampede: swept \d+ private Redis folders? left by an earlier run \(.*\)$/);
    expect(lines.find((line) => line.includes('private Redis folder'))).toContain(folders[0]);
    expect(existsSync(folders[0]!)).toBe(false);

    const after = (await client.listProxies()).map((proxy) => proxy.name);
    expect(after).toEqual([alive.shards[0]!.name]);
  }, 180_000);
});
