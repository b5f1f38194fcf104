/**
 * The same storm at the same fleet size with each engine, side by side in one run, per simulated client: fleet
 * memory, fleet CPU seconds, reconnect time after the outage, and items checked per second. k6's own guidance puts
 * a simple script at 1 to 5 MB per VU; this prints where each engine stands on this machine.
 *
 *   node --import tsx bench/engines.bench.ts [--cameras 500] [--users 250] [--duration 40] [--k6-instances 1]
 *
 * The fleet's memory and CPU: for the Node engine, this process above its idle baseline (the fleet lives here,
 * with the orchestrator and the oracle); for k6, the k6 processes (read from /proc), with this process's share
 * (orchestrator, collector, oracle) printed beside it. The reference cloud is a child of its own and never counted.
 * Each engine runs in a fresh child process, so neither inherits the other's heap.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scenarios } from '../scenarios/index.ts';
import { resolveRunConfig } from '../src/run/config.ts';
import { runStorm } from '../src/run/storm.ts';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '500' },
    users: { type: 'string', default: '250' },
    duration: { type: 'string', default: '40' },
    'k6-instances': { type: 'string', default: '1' },
    only: { type: 'string' },
  },
});
const MiB = 1024 * 1024;
const PAGE = 4096;
const TICKS_PER_SECOND = 100;

interface ProcessSample {
  rss: number;
  cpuSeconds: number;
}

/** This process's k6 children, from /proc: resident memory and CPU time so far. */
function k6Children(): Map<number, ProcessSample> {
  const found = new Map<number, ProcessSample>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (name !== 'k6' || Number(fields[1]) !== process.pid) continue;
      const rss = Number(readFileSync(`/proc/${entry}/statm`, 'utf8').split(' ')[1]) * PAGE;
      found.set(Number(entry), { rss, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
    } catch {
      // the process ended between the listing and the read
    }
  }
  return found;
}

interface Measured {
  engine: string;
  verdict: string;
  clients: number;
  fleetMiB: number;
  fleetCpu: number;
  harnessMiB: number;
  harnessCpu: number;
  reconnect: string;
  checkedPerSecond: number;
}

async function measure(engine: 'node' | 'k6'): Promise<Measured> {
  const cameras = Number(values.cameras);
  const users = Number(values.users);
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  let harnessPeak = baseline;
  /** Per k6 process: its peak RSS and its last CPU reading (a process's CPU only grows). */
  const k6 = new Map<number, ProcessSample>();
  const sampler = setInterval(() => {
    harnessPeak = Math.max(harnessPeak, process.memoryUsage().rss);
    if (engine !== 'k6') return;
    for (const [pid, sample] of k6Children()) {
      const seen = k6.get(pid);
      k6.set(pid, { rss: Math.max(seen?.rss ?? 0, sample.rss), cpuSeconds: sample.cpuSeconds });
    }
  }, 250);
  const config = resolveRunConfig(
    {
      cameras: String(cameras), users: String(users), duration: values.duration, seed: '1', engine,
      ...(engine === 'k6' ? { k6Instances: values['k6-instances'] } : {}),
      out: join(mkdtempSync(join(tmpdir(), 'engines-bench-')), engine),
    },
    scenarios,
    new Date(),
  );
  const outcome = await runStorm(config, { log: () => undefined, out: () => undefined, signal: new AbortController().signal, command: 'bench' });
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  const harnessCpu = (cpu.user + cpu.system) / 1e6;
  const harnessMiB = (harnessPeak - baseline) / MiB;
  const k6MiB = [...k6.values()].reduce((sum, sample) => sum + sample.rss, 0) / MiB;
  const k6Cpu = [...k6.values()].reduce((sum, sample) => sum + sample.cpuSeconds, 0);
  const { summary } = outcome;
  if (outcome.failure) console.log(`  ${engine}: ${outcome.failure.title} failed: ${(outcome.failure.error as Error).message}`);
  return {
    engine,
    verdict: summary.verdict,
    clients: cameras + users,
    fleetMiB: engine === 'k6' ? k6MiB : harnessMiB,
    fleetCpu: engine === 'k6' ? k6Cpu : harnessCpu,
    harnessMiB,
    harnessCpu,
    reconnect: `${summary.reconnect.p50}/${summary.reconnect.p95}/${summary.reconnect.max}`,
    checkedPerSecond: Math.round(summary.checked.total / summary.durationS),
  };
}

const RESULT = 'engines-bench-result ';

/** One engine in a child of its own (this script with --only), so its memory is measured from a clean start. */
function inChild(engine: 'node' | 'k6'): Measured {
  const args = ['--expose-gc', '--import', 'tsx', process.argv[1]!, '--only', engine, '--cameras', values.cameras, '--users', values.users,
    '--duration', values.duration, '--k6-instances', values['k6-instances']];
  const output = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: (Number(values.duration) + 180) * 1000 });
  const line = output.split('\n').find((text) => text.startsWith(RESULT));
  if (!line) throw new Error(`the ${engine} run printed no result:\n${output.slice(-2000)}`);
  return JSON.parse(line.slice(RESULT.length)) as Measured;
}

if (values.only === 'node' || values.only === 'k6') {
  console.log(RESULT + JSON.stringify(await measure(values.only)));
  process.exit(0);
}

console.log(`engines bench: storm, ${values.cameras} cameras + ${values.users} users, ${values.duration} s, seed 1, each engine in turn`);
const rows = [inChild('node'), inChild('k6')];
console.log('engine  verdict  fleet MiB  MiB/client  fleet CPU s  CPU ms/client  harness MiB/CPU s  reconnect p50/p95/max ms  checked/s');
for (const row of rows) {
  console.log([
    row.engine.padEnd(6),
    row.verdict.padStart(7),
    row.fleetMiB.toFixed(0).padStart(9),
    (row.fleetMiB / row.clients).toFixed(2).padStart(10),
    row.fleetCpu.toFixed(1).padStart(11),
    ((row.fleetCpu * 1000) / row.clients).toFixed(1).padStart(13),
    `${row.harnessMiB.toFixed(0)}/${row.harnessCpu.toFixed(1)}`.padStart(17),
    row.reconnect.padStart(24),
    String(row.checkedPerSecond).padStart(9),
  ].join('  '));
}
const [node, k6] = rows as [Measured, Measured];
console.log(`k6 uses ${(k6.fleetMiB / Math.max(node.fleetMiB, 0.1)).toFixed(1)}x the Node engine's memory and ` +
  `${(k6.fleetCpu / Math.max(node.fleetCpu, 0.01)).toFixed(1)}x its CPU for the same fleet (k6's guidance: 1-5 MB per VU).`);
