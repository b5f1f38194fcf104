/**
 * Where a storm's reconnect burst spends its CPU: runs the `storm` scenario against the embedded reference cloud
 * (as bench/storm.bench.ts does), samples every process's CPU time every 100 ms, and prints for the burst (from
 * the first camera back after the heal to the last) the CPU each kind of process spent per camera back, in
 * microseconds, beside the burst's hellos per second and how many cores were busy. It is everything those
 * processes did during the burst over the cameras back, users' calls and live cameras' events included, so a
 * shorter burst also shows as less CPU per camera: read it beside the cores busy (below 2, something other than
 * CPU held the burst back, or another process on the machine took the rest).
 *
 *   node --import tsx bench/storm-burst-cpu.bench.ts [--cameras 3000] [--duration 40] [--runs 1]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scenarios } from '../scenarios/index.ts';
import { resolveRunConfig } from '../src/run/config.ts';
import { runStorm } from '../src/run/storm.ts';
import { children, type Kind } from './processes.ts';

const { values } = parseArgs({ options: { cameras: { type: 'string', default: '3000' }, duration: { type: 'string', default: '40' }, runs: { type: 'string', default: '1' } } });
const cameras = Number(values.cameras);
const SAMPLE_MS = 100;

/** CPU seconds so far of this process ('run') and of every process below it, by kind. */
function cpuByKind(): Record<Kind | 'run', number> {
  const own = process.cpuUsage();
  const totals: Record<Kind | 'run', number> = { run: (own.user + own.system) / 1e6, worker: 0, cloud: 0, toxiproxy: 0, redis: 0, other: 0 };
  for (const child of children(false)) totals[child.kind] += child.cpuSeconds;
  return totals;
}

console.log(`storm burst CPU: ${cameras} cameras, ${Math.round(cameras / 2)} users, ${values.duration} s per run; CPU us per camera back during the burst, by process kind`);
for (let run = 0; run < Number(values.runs); run++) {
  const samples: { t: number; cpu: Record<Kind | 'run', number> }[] = [];
  const sampler = setInterval(() => samples.push({ t: Date.now(), cpu: cpuByKind() }), SAMPLE_MS);
  const config = resolveRunConfig(
    { cameras: String(cameras), users: String(Math.round(cameras / 2)), duration: values.duration, seed: '1', out: join(mkdtempSync(join(tmpdir(), 'storm-burst-')), 'run') },
    scenarios,
    new Date(),
  );
  const { summary } = await runStorm(config, { log: () => undefined, out: () => undefined, signal: new AbortController().signal, command: 'bench' });
  clearInterval(sampler);
  const outage = summary.reconnect.perOutage[0];
  if (!outage || outage.firstBackMs === null || outage.allBackMs === null) {
    console.log(`  run ${run + 1}: no complete burst (${summary.verdict})`);
    continue;
  }
  const from = outage.healedAt + outage.firstBackMs;
  const to = outage.healedAt + outage.allBackMs;
  // The samples nearest the burst's ends; a sample's processes that ended since are left out by kind's sum.
  const at = (t: number) => samples.reduce((best, sample) => (Math.abs(sample.t - t) < Math.abs(best.t - t) ? sample : best));
  const start = at(from);
  const end = at(to);
  const perCamera = (kind: Kind | 'run') => ((end.cpu[kind] - start.cpu[kind]) / outage.reconnected) * 1e6;
  const kinds: (Kind | 'run')[] = ['worker', 'cloud', 'toxiproxy', 'run', 'redis', 'other'];
  const total = kinds.reduce((sum, kind) => sum + perCamera(kind), 0);
  const seconds = (end.t - start.t) / 1000;
  console.log(
    `  run ${run + 1}: ${outage.reconnected}/${outage.cameras} back in ${((to - from) / 1000).toFixed(1)} s (${Math.round(outage.reconnected / ((to - from) / 1000))} hellos/s), ` +
      `${kinds.map((kind) => `${kind} ${perCamera(kind).toFixed(0)}`).join(', ')}, all ${total.toFixed(0)} us; ` +
      `${((total * outage.reconnected) / 1e6 / seconds).toFixed(2)} cores busy; ${summary.verdict}`,
  );
}
