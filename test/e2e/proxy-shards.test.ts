/**
 * A run whose client proxy is in shards, through the real CLI: each shard in a toxiproxy-server of its own, the
 * fleet's connections spread over all of them, the outage cutting and healing every one; and one of those servers
 * killed mid-run makes the run an error (exit 3) naming that Toxiproxy, never a verdict on what followed.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ToxiproxyClient } from '../../src/chaos/toxiproxy.ts';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';
import { childrenOf, whenJournalHas } from '../helpers/run-events.ts';

/** Established connections whose local end is `port` on loopback: what a shard's proxy holds. */
function connectionsOn(port: number): number {
  return execFileSync('ss', ['-Htn', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' }).split('\n').filter((line) => line.trim()).length;
}

it('spreads the fleet over two Toxiproxy servers, cuts both in the outage, and a dead one makes the run an error naming it', async () => {
  const out = runDir('proxy-shards');
  let child!: ChildProcess;
  const over = stampede(['run', 'storm', '--proxy-shards', '2', '--workers', '1', '--cameras', '30', '--users', '15', '--duration', '16', '--seed', '5', '--out', out],
    { timeoutMs: 150_000, onSpawn: (spawned) => (child = spawned) });
  // After the outage: both shards were cut and healed, and the fleet is back on both.
  await whenJournalHas(join(out, 'journal.ndjson'), (r) => r.type === 'phase' && r.name === 'storm', over);
  const servers = childrenOf(child.pid!).filter((p) => p.command.includes('toxiproxy-server'));
  expect(servers).toHaveLength(2);
  const held: number[] = [];
  for (const server of servers) {
    const port = Number(/-port (\d+)/.exec(server.command)![1]);
    const shard = (await new ToxiproxyClient(`http://127.0.0.1:${port}`).listProxies()).find((p) => /-client-\d$/.test(p.name))!;
    held.push(connectionsOn(Number(shard.listen.slice(shard.listen.lastIndexOf(':') + 1))));
  }
  for (const count of held) expect(count).toBeGreaterThan(0);
  // Each shard reaches the embedded cloud on a port of its own (Node accepts one connection per port per turn).
  const cloud = childrenOf(child.pid!).find((p) => / target --port /.test(p.command))!;
  const cloudPorts = [...cloud.command.matchAll(/--(?:extra-)?port (\d+)/g)].map((match) => Number(match[1]));
  const upstreams = await Promise.all(servers.map(async (server) => {
    const port = Number(/-port (\d+)/.exec(server.command)![1]);
    return (await new ToxiproxyClient(`http://127.0.0.1:${port}`).listProxies()).find((p) => /-client-\d$/.test(p.name))!.upstream;
  }));
  expect(upstreams.map((upstream) => Number(upstream.split(':')[1])).sort()).toEqual([...cloudPorts].sort());
  expect(new Set(cloudPorts).size).toBe(2);
  // One Go processor per Toxiproxy server (unless the user set GOMAXPROCS): see src/services/toxiproxy-server.ts.
  for (const server of servers) expect(readFileSync(`/proc/${server.pid}/environ`, 'utf8').split('\0')).toContain(`GOMAXPROCS=${process.env.GOMAXPROCS ?? '1'}`);
  const victim = servers[1]!;
  process.kill(victim.pid, 'SIGKILL');
  const result = await over;

  expect(result.code, `${result.stdout}\n${result.stderr.slice(-2000)}`).toBe(3);
  expect(result.stderr).toMatch(/stampede: 2 Toxiproxy servers for 2 client proxy shards \(pids \d+, \d+\)/);
  const summary = readSummary(out);
  expect(summary.verdict).toBe('error');
  const named = new RegExp(`^Toxiproxy server 2 of 2 \\(toxiproxy-server pid ${victim.pid}, http://127\\.0\\.0\\.1:\\d+\\) went down during the run: its process exited \\(SIGKILL\\)`);
  expect(summary.shortfalls[0]).toMatch(named);
  expect(result.stdout.split('\n')[0]).toMatch(/^ERROR: Toxiproxy server 2 of 2 /);
  // The outage before the kill was applied and healed on both shards.
  expect(summary.faults.find((fault) => fault.fault === 'outage')).toMatchObject({ state: 'healed' });
}, 180_000);
