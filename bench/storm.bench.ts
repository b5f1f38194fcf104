/**
 * How big a storm one machine holds: runs the full `storm` scenario against the embedded reference cloud at
 * growing fleet sizes, in this process, and prints per size the reconnect time after the outage (p50, p95, max),
 * hellos per second during the reconnect, items checked per second, and the harness's memory per simulated
 * client: peak RSS above the idle baseline of this process (the run: oracle, collector, nemesis) plus its worker
 * processes (the fleet), summed; the cloud, Toxiproxy and Redis run in processes of their own and are not counted.
 * It also prints the client proxy's shard count and the most file descriptors any one toxiproxy-server held: a
 * process may hold 20,000 here, and each proxied connection costs it two. Beside each size it measures a bare `ws`
 * client against a minimal server (bench/raw-ws.ts) with as many clients as cameras, so the storm's hello rate
 * reads as a ratio taken in the same run (floor 0.5); after two sizes, the marginal memory per client between them
 * (floor: at most 48 KiB).
 *
 *   node --import tsx bench/storm.bench.ts [--sizes 1000,2500,5000] [--duration 60]
 *
 * The users are half the cameras, as in the floor (5,000 cameras and 2,500 users under 1 GiB).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scenarios } from '../scenarios/index.ts';
import { resolveRunConfig } from '../src/run/config.ts';
import { runStorm } from '../src/run/storm.ts';
import { rawHelloRate } from './raw-ws.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,2500,5000' }, duration: { type: 'string', default: '60' } } });
const sizes = values.sizes.split(',').map(Number);
const MiB = 1024 * 1024;

/** This process's RSS plus that of every `stampede worker` below it (Linux /proc), in bytes, and the largest worker's. */
function harnessRss(): { total: number; worker: number } {
  let total = process.memoryUsage().rss;
  let worker = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!command.includes('worker') || !isChild(entry)) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      if (rss) {
        total += Number(rss[1]) * 1024;
        worker = Math.max(worker, Number(rss[1]) * 1024);
      }
    } catch {
      // the process ended while we looked
    }
  }
  return { total, worker };
}

/** Toxiproxy servers below this process, and the most open file descriptors any one of them holds now. */
function toxiproxyFds(): { servers: number; most: number } {
  let servers = 0;
  let most = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('toxiproxy-server') || !isChild(entry)) continue;
      servers += 1;
      most = Math.max(most, readdirSync(`/proc/${entry}/fd`).length);
    } catch {
      // the process ended while we looked
    }
  }
  return { servers, most };
}

/** Whether `pid`'s parent is this process (its stat's fourth field), whatever state it is in. */
function isChild(pid: string): boolean {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
}

console.log(`storm bench: ${values.duration} s per size, users = cameras / 2, fd limit per process is what caps the next step`);
console.log('KiB/client includes the worker processes\' own base memory: the difference between two sizes is the marginal cost');
console.log('peak RSS: the run\'s process (orchestrator, oracle, nemesis) / the largest worker / all of them summed');
console.log('cameras  users  verdict  wall s  reconnect p50/p95/max ms  back   hellos/s  raw ws/s  ratio  checked/s  peak RSS MiB run/worker/sum  KiB/client  shards  toxiproxy fds');
let previous: { clients: number; bytes: number } | undefined;
for (const cameras of sizes) {
  const users = Math.round(cameras / 2);
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let peakRun = baseline;
  let peakWorker = 0;
  const fds = { servers: 0, most: 0 };
  const sampler = setInterval(() => {
    const rss = harnessRss();
    peak = Math.max(peak, rss.total);
    peakRun = Math.max(peakRun, process.memoryUsage().rss);
    peakWorker = Math.max(peakWorker, rss.worker);
    const now = toxiproxyFds();
    fds.servers = Math.max(fds.servers, now.servers);
    fds.most = Math.max(fds.most, now.most);
  }, 250);
  const config = resolveRunConfig(
    { cameras: String(cameras), users: String(users), duration: values.duration, seed: '1', out: join(mkdtempSync(join(tmpdir(), 'storm-bench-')), 'run') },
    scenarios,
    new Date(),
  );
  const began = performance.now();
  const outcome = await runStorm(config, { log: () => undefined, out: () => undefined, signal: new AbortController().signal, command: 'bench' });
  const wallS = (performance.now() - began) / 1000;
  clearInterval(sampler);
  // The yardstick failing must not lose the storm's figures: its line says NaN and why.
  const raw = await rawHelloRate(cameras).catch((error: Error) => {
    console.log(`  raw ws yardstick failed: ${error.message}`);
    return NaN;
  });
  const { summary } = outcome;
  const outage = summary.reconnect.perOutage[0];
  const hellosPerSecond = outage && outage.allBackMs ? Math.round(outage.reconnected / (outage.allBackMs / 1000)) : NaN;
  const checkedPerSecond = Math.round(summary.checked.total / summary.durationS);
  const perClient = (peak - baseline) / (cameras + users) / 1024;
  const back = outage ? `${outage.reconnected}/${outage.cameras}` : 'no outage';
  console.log(
    [
      String(cameras).padStart(7),
      String(users).padStart(6),
      summary.verdict.padStart(8),
      wallS.toFixed(0).padStart(6),
      `${summary.reconnect.p50}/${summary.reconnect.p95}/${summary.reconnect.max}`.padStart(25),
      back.padStart(12),
      String(hellosPerSecond).padStart(9),
      String(Math.round(raw)).padStart(9),
      (hellosPerSecond / raw).toFixed(2).padStart(6),
      String(checkedPerSecond).padStart(10),
      `${(peakRun / MiB).toFixed(0)}/${(peakWorker / MiB).toFixed(0)}/${(peak / MiB).toFixed(0)}`.padStart(29),
      perClient.toFixed(1).padStart(11),
      String(config.proxyShards).padStart(6),
      `${fds.most} (most of ${fds.servers})`.padStart(13),
    ].join('  '),
  );
  const clients = cameras + users;
  if (previous) {
    const marginal = (peak - baseline - previous.bytes) / (clients - previous.clients) / 1024;
    console.log(`  marginal memory from ${previous.clients} to ${clients} clients: ${marginal.toFixed(1)} KiB/client (floor: at most 48)`);
  }
  previous = { clients, bytes: peak - baseline };
  if (summary.verdict !== 'pass') console.log(`  ${summary.verdict}: ${summary.reasons.slice(0, 3).join('; ')}`);
  if (outcome.failure) console.log(`  ${outcome.failure.title} failed: ${(outcome.failure.error as Error).message}`);
  if (summary.reconnect.missing > 0) console.log(`  ${summary.reconnect.missing} cameras never came back after the outage`);
}
