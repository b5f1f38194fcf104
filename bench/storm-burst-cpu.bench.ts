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
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scenarios } from '../scenarios/index.ts';
import { resolveRunConfig } from '../src/run/config.ts';
import { runStorm } from '../src/run/storm.ts';

const { values } = parseArgs({ options: { cameras: { type: 'string', default: '3000' }, duration: { type: 'string', default: '40' }, runs: { type: 'string', default: '1' } } });
const cameras = Number(values.cameras);
const TICKS_PER_SECOND = 100;
const SAMPLE_MS = 100;

type Kind = 'run' | 'worker' | 'cloud' | 'toxiproxy' | 'redis' | 'other';

function kindOf(command: string[]): Kind {
  const line = command.join(' ');
  if (line.includes('toxiproxy-server')) return 'toxiproxy';
  if (line.includes('redis-server')) return 'redis';
  if (command.includes('worker')) return 'worker';
  if (command.includes('target')) return 'cloud';
  return 'other';
}

/** CPU seconds so far of this process and of every process below it, by kind (Linux /proc). */
function cpuByKind(): Record<Kind, number> {
  const stats = new Map<string, string[]>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      stats.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' '));
    } catch {
      // the process ended while we looked
    }
  }
  const own = process.cpuUsage();
  const totals: Record<Kind, number> = { run: (own.user + own.system) / 1e6, worker: 0, cloud: 0, toxiproxy: 0, redis: 0, other: 0 };
  for (const [pid, fields] of stats) {
    let below = false;
    for (let parent: string | undefined = fields[1]; parent !== undefined && parent !== '0'; parent = stats.get(parent)?.[1]) {
      if (Number(parent) === process.pid) {
        below = true;
        break;
      }
    }
    if (!below) continue;
    try {
      const kind = kindOf(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
      totals[kind] += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      // the process ended while we looked
    }
  }
  return totals;
}

console.log(`storm burst CPU: ${cameras} cameras, ${Math.round(cameras / 2)} users, ${values.duration} s per run; CPU us per camera back during the burst, by process kind`);
for (let run = 0; run < Number(values.runs); run++) {
  const samples: { t: number; cpu: Record<Kind, number> }[] = [];
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
  const perCamera = (kind: Kind) => ((end.cpu[kind] - start.cpu[kind]) / outage.reconnected) * 1e6;
  const kinds: Kind[] = ['worker', 'cloud', 'toxiproxy', 'run', 'redis', 'other'];
  const total = kinds.reduce((sum, kind) => sum + perCamera(kind), 0);
  const seconds = (end.t - start.t) / 1000;
  console.log(
    `  run ${run + 1}: ${outage.reconnected}/${outage.cameras} back in ${((to - from) / 1000).toFixed(1)} s (${Math.round(outage.reconnected / ((to - from) / 1000))} hellos/s), ` +
      `${kinds.map((kind) => `${kind} ${perCamera(kind).toFixed(0)}`).join(', ')}, all ${total.toFixed(0)} us; ` +
      `${((total * outage.reconnected) / 1e6 / seconds).toFixed(2)} cores busy; ${summary.verdict}`,
  );
}
