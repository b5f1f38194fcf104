/**
 * How big a storm one machine holds: runs the full `storm` scenario against the embedded reference cloud at
 * growing fleet sizes, in this process, and prints per size the reconnect time after the outage (p50, p95, max),
 * hellos per second during the reconnect (cameras back over the time from the first camera back to the last; the
 * reconnect max beside it runs from the heal), items checked per second, and the harness's memory per simulated
 * client: peak RSS above the idle baseline of this process (the run: oracle, collector, nemesis) plus its worker
 * processes (the fleet), summed; the cloud, Toxiproxy and Redis run in processes of their own and are not counted.
 * It also prints the client proxy's shard count and the most file descriptors any one toxiproxy-server held: a
 * process may hold 20,000 here, and each proxied connection costs it two. Beside each size it measures a bare `ws`
 * client against a minimal server (bench/raw-ws.ts) with as many clients as cameras, so the storm's hello rate
 * reads as a ratio taken in the same run (floor 0.5); after two sizes, the marginal memory per client between them
 * (floor: at most 48 KiB). Under each size, the CPU seconds each kind of process spent (this run's own process, the
 * workers, the cloud, the Toxiproxy servers, Redis): where a storm that does not fit went.
 *
 *   node --import tsx bench/storm.bench.ts [--sizes 1000,2500,5000] [--duration 60] [--repeat N]
 *
 * `--repeat N` runs each size N times and then says how many passed and the hello ratio's median: on a shared
 * machine one run's verdict at the edge of what it holds is a coin toss, so "passes" is a rate.
 *
 * The users are half the cameras, as in the floor (5,000 cameras and 2,500 users under 1 GiB).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scenarios } from '../scenarios/index.ts';
import { resolveRunConfig } from '../src/run/config.ts';
import { runStorm } from '../src/run/storm.ts';
import { children, type Kind } from './processes.ts';
import { rawHelloRate } from './raw-ws.ts';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '1000,2500,5000' }, duration: { type: 'string', default: '60' }, repeat: { type: 'string', default: '1' } },
});
const sizes = values.sizes.split(',').map(Number);
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat takes a whole number of runs, 1 or more, not ${values.repeat}`);
const MiB = 1024 * 1024;


console.log(`storm bench: ${values.duration} s per size, users = cameras / 2, fd limit per process is what caps the next step`);
console.log('KiB/client includes the worker processes\' own base memory: the difference between two sizes is the marginal cost');
console.log('peak RSS: the run\'s process (orchestrator, oracle, nemesis) / the largest worker / all of them summed');
console.log('cameras  users  verdict  wall s  reconnect p50/p95/max ms  back   hellos/s  raw ws/s  ratio  checked/s  peak RSS MiB run/worker/sum  KiB/client  shards  toxiproxy fds');
let previous: { clients: number; bytes: number } | undefined;
/** Per size: each run's verdict and hello ratio, for the summary after its last run. */
const rounds = new Map<number, { verdict: string; ratio: number }[]>();
for (const cameras of sizes.flatMap((size) => Array.from({ length: repeat }, () => size))) {
  const users = Math.round(cameras / 2);
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let peakRun = baseline;
  let peakWorker = 0;
  const fds = { servers: 0, most: 0 };
  // The last CPU time seen of every child, by pid: summed by kind once the run is over (children exit before it returns).
  const cpuByPid = new Map<string, { kind: Kind; seconds: number }>();
  const cpuBefore = process.cpuUsage();
  const sampler = setInterval(() => {
    const now = children();
    let total = process.memoryUsage().rss;
    let servers = 0;
    for (const child of now) {
      // A process just forked still shows its parent's command line: the kind it is known by later wins.
      const known = cpuByPid.get(child.pid)?.kind;
      cpuByPid.set(child.pid, { kind: child.kind === 'other' && known !== undefined ? known : child.kind, seconds: child.cpuSeconds });
      if (child.kind === 'worker') {
        total += child.rssBytes;
        peakWorker = Math.max(peakWorker, child.rssBytes);
      }
      if (child.kind === 'toxiproxy') {
        servers += 1;
        fds.most = Math.max(fds.most, child.fds);
      }
    }
    peak = Math.max(peak, total);
    peakRun = Math.max(peakRun, process.memoryUsage().rss);
    fds.servers = Math.max(fds.servers, servers);
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
  const ownCpu = process.cpuUsage(cpuBefore);
  const cpu: Record<Kind | 'run', number> = { run: (ownCpu.user + ownCpu.system) / 1e6, worker: 0, cloud: 0, toxiproxy: 0, redis: 0, other: 0 };
  for (const { kind, seconds } of cpuByPid.values()) cpu[kind] += seconds;
  // The yardstick failing must not lose the storm's figures: its line says NaN and why.
  const raw = await rawHelloRate(cameras).catch((error: Error) => {
    console.log(`  raw ws yardstick failed: ${error.message}`);
    return NaN;
  });
  const { summary } = outcome;
  const outage = summary.reconnect.perOutage[0];
  // From the first camera back to the last: before the first, cameras are only waiting out their backoff (up to
  // 2.2 s after a heal), which the raw yardstick's clients, connecting at once, do not do.
  const burstMs = outage && outage.allBackMs !== null && outage.firstBackMs !== null ? Math.max(1, outage.allBackMs - outage.firstBackMs) : NaN;
  const hellosPerSecond = Math.round((outage?.reconnected ?? NaN) / (burstMs / 1000));
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
  if (previous && previous.clients !== clients) {
    const marginal = (peak - baseline - previous.bytes) / (clients - previous.clients) / 1024;
    console.log(`  marginal memory from ${previous.clients} to ${clients} clients: ${marginal.toFixed(1)} KiB/client (floor: at most 48)`);
  }
  previous = { clients, bytes: peak - baseline };
  const cpuLine = (Object.entries(cpu) as [string, number][]).filter(([, seconds]) => seconds > 0).map(([kind, seconds]) => `${kind} ${seconds.toFixed(1)}`);
  console.log(`  CPU seconds by process kind (sampled every 250 ms): ${cpuLine.join(', ')}; ${(Object.values(cpu).reduce((a, b) => a + b, 0) / wallS).toFixed(2)} cores busy on average`);
  if (summary.verdict !== 'pass') console.log(`  ${summary.verdict}: ${summary.reasons.slice(0, 3).join('; ')}`);
  if (outcome.failure) console.log(`  ${outcome.failure.title} failed: ${(outcome.failure.error as Error).message}`);
  if (summary.reconnect.missing > 0) console.log(`  ${summary.reconnect.missing} cameras never came back after the outage`);
  const runs = rounds.get(cameras) ?? [];
  rounds.set(cameras, runs);
  runs.push({ verdict: summary.verdict, ratio: hellosPerSecond / raw });
  if (repeat > 1 && runs.length === repeat) {
    const ratios = runs.map((run) => run.ratio).filter((ratio) => Number.isFinite(ratio)).sort((a, b) => a - b);
    const median = ratios.length > 0 ? ratios[Math.floor((ratios.length - 1) / 2)]!.toFixed(2) : 'n/a';
    console.log(`  ${cameras} cameras, ${users} users: ${runs.filter((run) => run.verdict === 'pass').length} of ${repeat} runs passed; hello ratio median ${median} (floor 0.5)`);
  }
}
