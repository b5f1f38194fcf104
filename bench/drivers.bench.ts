/**
 * Memory per simulated client: connects 5,000 cameras (and then 2,000 users with their streams) to the reference
 * cloud running in a child process, so only the drivers' side is measured, and prints bytes per client.
 *
 *   node --expose-gc --import tsx bench/drivers.bench.ts [cameras] [users]
 */
import { referenceAdapter } from '../src/adapter/reference/index.ts';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startCloudChild } from './cloud-child.ts';
import { adminClient } from '../simulators/protocol/admin.ts';
import { startCameraFleet } from '../simulators/protocol/camera-fleet.ts';
import { startUserFleet } from '../simulators/protocol/user-fleet.ts';
import { nativeHashes } from '../simulators/protocol/native-hashes.ts';
import { digest, makeThumbnail, type ProvenanceHashes, pureHashes } from '../src/world/provenance.ts';
import type { Recorder } from '../src/world/history.ts';
import { generateWorld } from '../src/world/generate.ts';
import { worldToSeed } from '../src/world/seed.ts';
import { everyday } from '../scenarios/traffic.ts';

const TIMEOUT_MS = 120_000;
/** Long enough for the device-like policy to reach its cap, as a storm scenario's outage does. */
const OUTAGE_MS = 8_000;

await bench(Number(process.argv[2] ?? 5000), Number(process.argv[3] ?? 2000));

async function bench(cameraCount: number, userCount: number): Promise<void> {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc --import tsx bench/drivers.bench.ts');
  const cloud = await startCloudChild();
  const { url, adminToken } = cloud;
  try {
    const world = generateWorld({
      // The world needs enough owners for its cameras; the bench drives the first `userCount` of them.
      seed: 1, users: Math.max(userCount, Math.ceil(cameraCount / 4)), cameras: cameraCount, transfers: 0, revocations: 0,
      timeline: { durationMs: 60_000, storm: { startMs: 20_000, endMs: 40_000 } },
    });
    await adminClient(url, adminToken, { timeoutMs: 60_000 }).seed(worldToSeed(world));
    // Records are counted, not kept: the bench measures the drivers, not a history.
    let records = 0;
    const recorder: Recorder = { record: () => void records++ };
    const deadline = Date.now() + TIMEOUT_MS;

    const base = heap();
    const cameras = startCameraFleet({
      ...via(url), world, recorder, rate: 0.01, policy: { floorMs: 100, capMs: 2000, jitterMs: 100 },
      key: 'bench', deadline, maxEvents: 0, rampMs: 3000,
    });
    await waitFor(() => cameras.connected() === cameraCount, 'cameras to connect', deadline);
    const withCameras = heap();
    report('camera', cameraCount, base, withCameras);

    const users = startUserFleet({
      ...via(url), world, users: world.users.slice(0, userCount), recorder, deadline, maxRequests: userCount * 4,
      pollMs: 600_000, camerasMs: 600_000, tapMs: 600_000, probeMs: 0, rampMs: 3000,
    });
    await waitFor(() => users.stats().streamsOpen === userCount, 'user streams to open', deadline);
    const withUsers = heap();
    report('user', userCount, withCameras, withUsers);

    const stopStart = performance.now();
    const elapsed = () => `${(performance.now() - stopStart).toFixed(0)} ms`;
    await Promise.all([
      cameras.stop().then(() => console.log(`camera fleet stop(): ${elapsed()}`)),
      users.stop().then(() => console.log(`user fleet stop(): ${elapsed()}`)),
    ]);
    console.log(`${records} records`);
    await outageStorm(world, cameraCount);
    thumbnailThroughput();
  } finally {
    await cloud.stop();
  }
}

/**
 * Cameras retrying against a dead port for `OUTAGE_MS`: how hard the storm spins, and what it costs the harness
 * (CPU, records, event loop), with a fixed 25 ms wait (the old `immediate`) beside the scenarios' device-like policy.
 */
async function outageStorm(world: ReturnType<typeof generateWorld>, cameraCount: number): Promise<void> {
  for (const [name, policy] of [['fixed 25 ms', { floorMs: 25, capMs: 25, jitterMs: 0 }], ['scenario default', everyday.reconnect]] as const) {
    let records = 0;
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const cameras = startCameraFleet({
      ...via('http://127.0.0.1:1'), world, recorder: { record: () => void records++ }, rate: 1,
      policy, key: 'bench', deadline: Date.now() + OUTAGE_MS, maxEvents: 0,
    });
    await cameras.done;
    lag.disable();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    console.log(
      `outage ${OUTAGE_MS / 1000} s, ${cameraCount} cameras, ${name} (floor ${policy.floorMs} ms, cap ${policy.capMs} ms, jitter ${policy.jitterMs} ms): ` +
        `${(cameras.stats().connects / seconds).toFixed(0)} connects/s, ${(records / seconds).toFixed(0)} records/s, ` +
        `CPU ${((used.user + used.system) / 1e4 / seconds).toFixed(0)}% of a core, event loop p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms`,
    );
  }
}

/** Thumbnails built and digested per second, pure-JS hashes (the default) beside Node's native ones (the drivers). */
function thumbnailThroughput(): void {
  const count = 2000;
  const rate = (hashes: ProvenanceHashes): number => {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const { bytes } = makeThumbnail({ runId: 'bench', cameraId: 'c1', eventId: `c1.e${i}`, size: 5 * 1024, key: 'bench' }, hashes);
      digest(bytes, hashes);
    }
    return count / ((performance.now() - started) / 1000);
  };
  const pure = rate(pureHashes);
  const native = rate(nativeHashes);
  console.log(`thumbnails (5 KiB, build + HMAC + digest) per second on one core: pure ${pure.toFixed(0)}, native ${native.toFixed(0)} (${(native / pure).toFixed(1)}x)`);
}

interface Heap {
  heapUsed: number;
  external: number;
  rss: number;
}

function heap(): Heap {
  for (let i = 0; i < 3; i++) globalThis.gc!();
  const { heapUsed, external, rss } = process.memoryUsage();
  return { heapUsed, external, rss };
}

function report(kind: string, count: number, before: Heap, after: Heap): void {
  const per = (field: keyof Heap) => `${((after[field] - before[field]) / count / 1024).toFixed(1)} KiB`;
  console.log(`${count} ${kind}s connected: per ${kind} heap ${per('heapUsed')}, external ${per('external')}, rss ${per('rss')}`);
}

async function waitFor(condition: () => boolean, what: string, deadline: number): Promise<void> {
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The fleets' options for the reference target at `url`. */
function via(url: string) {
  return { adapter: referenceAdapter, endpoints: { target: url } };
}
