/**
 * How big a storm one machine holds: runs the full `storm` scenario against the embedded reference cloud at
 * growing fleet sizes, in this process, and prints per size the reconnect time after the outage (p50, p95, max),
 * hellos per second during the reconnect, items checked per second, and the harness's memory per simulated
 * client (peak RSS above the idle baseline; the cloud runs in its own process and is not counted).
 *
 *   node --import tsx bench/storm.bench.ts [--sizes 1000,2500,5000] [--duration 60]
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

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,2500,5000' }, duration: { type: 'string', default: '60' } } });
const sizes = values.sizes.split(',').map(Number);
const MiB = 1024 * 1024;

console.log(`storm bench: ${values.duration} s per size, users = cameras / 2, fd limit per process is what caps the next step`);
console.log('cameras  users  verdict  reconnect p50/p95/max ms  hellos/s  checked/s  peak RSS MiB  KiB/client');
for (const cameras of sizes) {
  const users = Math.round(cameras / 2);
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
  const config = resolveRunConfig(
    { cameras: String(cameras), users: String(users), duration: values.duration, seed: '1', out: join(mkdtempSync(join(tmpdir(), 'storm-bench-')), 'run') },
    scenarios,
    new Date(),
  );
  const outcome = await runStorm(config, { log: () => undefined, out: () => undefined, signal: new AbortController().signal, command: 'bench' });
  clearInterval(sampler);
  const { summary } = outcome;
  const outage = summary.reconnect.perOutage[0];
  const hellosPerSecond = outage && outage.allBackMs ? Math.round(outage.reconnected / (outage.allBackMs / 1000)) : NaN;
  const checkedPerSecond = Math.round(summary.checked.total / summary.durationS);
  const perClient = (peak - baseline) / (cameras + users) / 1024;
  console.log(
    [
      String(cameras).padStart(7),
      String(users).padStart(6),
      summary.verdict.padStart(8),
      `${summary.reconnect.p50}/${summary.reconnect.p95}/${summary.reconnect.max}`.padStart(25),
      String(hellosPerSecond).padStart(9),
      String(checkedPerSecond).padStart(10),
      (peak / MiB).toFixed(0).padStart(13),
      perClient.toFixed(1).padStart(11),
    ].join('  '),
  );
  if (outcome.failure) console.log(`  ${outcome.failure.title} failed: ${(outcome.failure.error as Error).message}`);
  if (summary.reconnect.missing > 0) console.log(`  ${summary.reconnect.missing} cameras never came back after the outage`);
}
