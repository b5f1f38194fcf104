/**
 * How long generating a world takes: 5,000 users and 10,000 cameras should take well under a second.
 * Run: node --import tsx bench/world.bench.ts
 */
import { generateWorld } from '../src/world/generate.ts';
import type { WorldSpec } from '../src/world/spec.ts';

const spec: WorldSpec = {
  seed: 20261128,
  users: 5_000,
  cameras: 10_000,
  timeline: { durationMs: 300_000, storm: { startMs: 60_000, endMs: 240_000 } },
};
const ROUNDS = 10;

// The first round pays for module loading and JIT warm-up; report it apart from the steady state.
let started = performance.now();
const first = generateWorld(spec);
const firstMs = performance.now() - started;

const timings: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  started = performance.now();
  generateWorld(spec);
  timings.push(performance.now() - started);
}
timings.sort((a, b) => a - b);
const median = timings[Math.floor(ROUNDS / 2)]!;
const bytes = JSON.stringify(first).length;

console.log(
  `world ${spec.users} users / ${spec.cameras} cameras: ${first.shares.length} shares, ${first.changes.length} changes, ` +
    `${(bytes / 1024 / 1024).toFixed(1)} MiB as JSON`,
);
console.log(`first run ${firstMs.toFixed(1)} ms; median of ${ROUNDS} more ${median.toFixed(1)} ms (min ${timings[0]!.toFixed(1)}, max ${timings[ROUNDS - 1]!.toFixed(1)})`);
