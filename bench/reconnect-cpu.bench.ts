/**
 * CPU per camera connect, on both sides of the device channel: rounds of a camera fleet (this process: scheduler,
 * adapter, records) connecting, saying hello and being welcomed by the reference cloud in a child process (accept,
 * upgrade, hello check through its Redis cache). Per round it reads both processes' CPU time (Linux /proc) from the
 * fleet's start until every camera is live, and prints microseconds of CPU per connect for each side, median and
 * spread over the rounds. CPU, not rates: the machine is shared and noisy, CPU time per unit of work much less so.
 * Closing the fleet between rounds is not counted.
 *
 *   node --import tsx bench/reconnect-cpu.bench.ts [cameras] [rounds] [redis url, or none]
 */
import { referenceAdapter } from '../src/adapter/reference/index.ts';
import { startCloudChild } from './cloud-child.ts';
import { cpuSecondsOf } from './processes.ts';
import { adminClient } from '../simulators/protocol/admin.ts';
import { startCameraFleet } from '../simulators/protocol/camera-fleet.ts';
import { generateWorld } from '../src/world/generate.ts';
import { worldToSeed } from '../src/world/seed.ts';

const cameraCount = Number(process.argv[2] ?? 3000);
const rounds = Number(process.argv[3] ?? 7);
const redis = process.argv[4] ?? 'redis://127.0.0.1:6379';
/** Connects spread over this long: the cloud's one port backlog (511) must not overflow, or retries get measured. */
const RAMP_MS = 3_000;
const TIMEOUT_MS = 60_000;

const cloud = await startCloudChild(redis === 'none' ? undefined : redis);
try {
  const world = generateWorld({
    seed: 1, users: Math.ceil(cameraCount / 2), cameras: cameraCount, transfers: 0, revocations: 0,
    timeline: { durationMs: 60_000, storm: { startMs: 20_000, endMs: 40_000 } },
  });
  await adminClient(cloud.url, cloud.adminToken, { timeoutMs: 60_000 }).seed(worldToSeed(world));
  const fleetUs: number[] = [];
  const cloudUs: number[] = [];
  let records = 0;
  for (let round = 0; round < rounds; round++) {
    const fleetBefore = cpuSecondsOf(process.pid);
    const cloudBefore = cpuSecondsOf(cloud.pid);
    const deadline = Date.now() + TIMEOUT_MS;
    const fleet = startCameraFleet({
      adapter: referenceAdapter, endpoints: { target: cloud.url }, world, recorder: { record: () => void records++ },
      rate: 0.001, policy: { floorMs: 1000, capMs: 5000, jitterMs: 500 }, key: 'bench', deadline, maxEvents: 0, rampMs: RAMP_MS,
    });
    while (fleet.connected() < cameraCount) {
      if (Date.now() > deadline) throw new Error(`round ${round}: ${fleet.connected()} of ${cameraCount} cameras live`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { connects } = fleet.stats();
    // Round 0 warms both processes' code up and fills the cloud's cache; it is not counted.
    if (round > 0) {
      fleetUs.push(((cpuSecondsOf(process.pid) - fleetBefore) / connects) * 1e6);
      cloudUs.push(((cpuSecondsOf(cloud.pid) - cloudBefore) / connects) * 1e6);
    }
    await fleet.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const line = (name: string, values: number[]): string => {
    const sorted = [...values].sort((a, b) => a - b);
    return `${name} ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} us (${sorted[0]!.toFixed(0)}-${sorted.at(-1)!.toFixed(0)})`;
  };
  console.log(`${cameraCount} cameras, ${rounds - 1} rounds, cache ${redis}: CPU per connect, median (min-max): ${line('fleet', fleetUs)}, ${line('cloud', cloudUs)}; ${records} records`);
} finally {
  await cloud.stop();
}
