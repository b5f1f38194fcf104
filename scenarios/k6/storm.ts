/**
 * Stampede's storm as a k6 test: the world's cameras and users as k6 VUs against the target, every observation
 * batched to the orchestrator's collector (the one oracle judges them all), and a threshold on the plain leaks the
 * VUs count themselves, so a k6 run on its own still fails on a plain leak.
 *
 * Executors, and why:
 * - cameras: `per-vu-iterations`, one VU and one long iteration per camera. A camera is a device that holds its
 *   socket for the whole run (closed model); the reconnect storm after an outage is the nemesis's doing, and the
 *   cameras come back by the scenario's policy, not by k6 starting new iterations.
 * - users: the same, one VU per user holding its push stream while it polls, refreshes and taps.
 * - curious visitors: `constant-arrival-rate`, an open model as k6 recommends for spikes: visits keep arriving at
 *   the planned rate however slowly the target answers, so a struggling target cannot slow its own probing down.
 * With `--execution-segment`, each k6 instance runs a disjoint slice of every scenario (the iteration numbers are
 * unique across segments), so N instances simulate every camera and user exactly once between them.
 *
 * Environment: see lib/settings.ts. `k6 run -e STAMPEDE_PLAN=/abs/plan.json scenarios/k6/storm.ts`.
 */
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { clearInterval, setInterval } from 'k6/timers';
import type { Camera, User } from '../../src/world/types.ts';
import { hashSeed, seededRandom } from '../../simulators/protocol/random.ts';
import { runCamera } from './lib/camera.ts';
import { involvementOf } from './lib/involvement.ts';
import { LeakCounter } from './lib/leaks.ts';
import { checkPlan, clockOf, type K6Plan } from './lib/plan.ts';
import { visit } from './lib/probe.ts';
import { instanceOf } from './lib/instance.ts';
import { readSettings, targetBases } from './lib/settings.ts';
import { FLUSH_MS, runClock, ShippingRecorder, shipTally } from './lib/ship.ts';
import { runUser } from './lib/user.ts';

const settings = readSettings(__ENV);

/** The plan, parsed once per k6 instance (SharedArray callbacks run in the first VU's init only). */
let parsed: K6Plan | undefined;
function plan(): K6Plan {
  parsed ??= checkPlan(JSON.parse(open(settings.planPath)));
  return parsed;
}

type Header = Omit<K6Plan, 'world' | 'version'> & { runId: string; seed: number };
interface UserSlot {
  user: User;
  /** Cameras the user is ever involved with: anything else it is shown is a plain leak. */
  involved: string[];
}

const header = new SharedArray<Header>('stampede-header', () => {
  const { world, version: _version, ...rest } = plan();
  return [{ ...rest, runId: world.runId, seed: world.seed }];
})[0]!;
const cameras = new SharedArray<Camera>('stampede-cameras', () => plan().world.cameras);
const users = new SharedArray<UserSlot>('stampede-users', () => {
  const involvement = involvementOf(plan().world);
  return plan().world.users.map((user) => ({ user, involved: [...(involvement.get(user.userId) ?? [])] }));
});
const bases = targetBases(settings.target ?? header.target, settings.allowRemote);
const standalone = settings.collectorUrl === '';
const lastSeconds = Math.ceil(header.durationMs / 1000);

export const options = {
  scenarios: {
    cameras: { executor: 'per-vu-iterations', exec: 'camera', vus: cameras.length, iterations: 1, maxDuration: `${lastSeconds + 30}s`, gracefulStop: '10s' },
    users: { executor: 'per-vu-iterations', exec: 'user', vus: users.length, iterations: 1, maxDuration: `${lastSeconds + 30}s`, gracefulStop: '10s' },
    ...(header.traffic.probeMs > 0 && header.durationMs > header.rampMs + 1000
      ? {
          curious: {
            executor: 'constant-arrival-rate', exec: 'curious',
            // every user pays a visit once per probeMs on average, as the Node fleet's curious users do
            rate: users.length, timeUnit: `${Math.round(header.traffic.probeMs)}ms`,
            startTime: `${Math.round(header.rampMs)}ms`, duration: `${Math.round(header.durationMs - header.rampMs)}ms`,
            preAllocatedVUs: Math.max(1, Math.min(20, Math.ceil((users.length * 1000) / header.traffic.probeMs))),
            maxVUs: Math.max(2, Math.min(100, Math.ceil((users.length * 4000) / header.traffic.probeMs))),
            gracefulStop: '5s',
          },
        }
      : {}),
  },
  thresholds: {
    // Alone, k6 is the gate: stop at the first plain leak. Under a judge the run goes on to its end, so the one
    // oracle sees the whole history; the threshold still makes this instance exit non-zero. An exported archive
    // is archived with no collector in sight, so the plan says whether a judge will be there (see K6Plan.judged).
    stampede_plain_leaks: [{ threshold: 'count==0', abortOnFail: standalone && !header.judged, delayAbortEval: '1s' }],
  },
  setupTimeout: '30s',
  teardownTimeout: '30s',
};

interface RunData {
  startedAt: number;
  instance: number;
}

interface SegmentOptions {
  executionSegment?: string | null;
  executionSegmentSequence?: string | null;
}

function thisInstance(): number {
  const { executionSegment, executionSegmentSequence } = exec.test.options as SegmentOptions;
  return instanceOf(settings.instance, executionSegment, executionSegmentSequence);
}

export function setup(): RunData {
  // Pods started elsewhere have no start in their environment: the central judge's collector tells it.
  const told = settings.startedAt ?? (standalone ? undefined : runClock(settings.collectorUrl, settings.collectorToken));
  return { startedAt: told ?? Date.now(), instance: thisInstance() };
}

/**
 * At the end, an instance under a judge posts its own tally (records made, batches given up, plain leaks) to the
 * collector, which is how a judge of pods it never started tells a complete run from one that lost records.
 * Returning nothing keeps k6's usual end-of-test summary.
 */
export function handleSummary(data: { metrics: Record<string, { values?: { count?: number } } | undefined> }): undefined {
  if (standalone) return undefined;
  const count = (name: string): number => data.metrics[name]?.values?.count ?? 0;
  const { executionSegment } = exec.test.options as SegmentOptions;
  // A tally that never arrives is reported by the judge itself (the instance's delivery cannot be checked).
  shipTally(settings.collectorUrl, settings.collectorToken, thisInstance(), {
    segment: executionSegment ?? '0:1',
    records: count('stampede_records'),
    batchesFailed: count('stampede_batches_failed'),
    plainLeaks: count('stampede_plain_leaks'),
  });
  return undefined;
}

/** A VU's recorder, flushed every FLUSH_MS while it runs and once more when it is done. */
function shipping(data: RunData): { recorder: ShippingRecorder; done: () => void } {
  const recorder = new ShippingRecorder(settings.collectorUrl, settings.collectorToken, data.instance, exec.vu.idInTest);
  const flusher = setInterval(() => recorder.flush(), FLUSH_MS);
  return { recorder, done: () => (clearInterval(flusher), recorder.finish()) };
}

export function camera(data: RunData): void {
  const camera = cameras[exec.scenario.iterationInTest];
  if (!camera) return;
  const clock = clockOf(header, data.startedAt);
  const { recorder, done } = shipping(data);
  const seconds = (clock.drainAt - clock.startedAt) / 1000;
  runCamera({
    camera,
    runId: header.runId,
    runKey: settings.runKey,
    deviceUrl: `${bases.wsBase}/v1/device`,
    recorder,
    rate: header.traffic.eventRate,
    policy: header.traffic.reconnect === 'immediate' ? { kind: 'immediate' } : { kind: 'backoff', baseMs: 250, capMs: 10_000 },
    thumbnailBytes: header.thumbnailBytes,
    connectAt: clock.startedAt + seededRandom(header.seed ^ hashSeed(camera.cameraId) ^ 0x7a3b)() * header.rampMs,
    quietAt: clock.drainAt,
    closeAt: clock.endsAt,
    // Bounded in count as well as time: at most twice the planned events.
    maxEvents: Math.ceil(header.traffic.eventRate * seconds * 2) + 10,
    seed: header.seed,
    onDone: done,
  });
}

export function user(data: RunData): void {
  const slot = users[exec.scenario.iterationInTest];
  if (!slot) return;
  const clock = clockOf(header, data.startedAt);
  const { recorder, done } = shipping(data);
  const seconds = (clock.endsAt - clock.startedAt) / 1000;
  runUser({
    user: slot.user,
    httpBase: bases.httpBase,
    wsBase: bases.wsBase,
    recorder,
    leaks: new LeakCounter(new Set(slot.involved)),
    pollMs: header.traffic.pollMs,
    camerasMs: header.traffic.camerasMs,
    tapMs: header.traffic.tapMs,
    // Apps retry within a second under `immediate`, as the Node users do: a user-side stampede beside the devices'.
    backoff: header.traffic.reconnect === 'immediate' ? { baseMs: 50, capMs: 1_000 } : { baseMs: 100, capMs: 5_000 },
    startAt: clock.startedAt + seededRandom(header.seed ^ hashSeed(slot.user.userId) ^ 0x1091)() * header.rampMs,
    endsAt: clock.endsAt,
    maxRequests: Math.ceil(seconds * 10 * 2) + 20,
    seed: header.seed,
    onDone: done,
  });
}

export function curious(data: RunData): void {
  const random = seededRandom(header.seed ^ hashSeed(`visit${exec.scenario.iterationInTest}`));
  const slot = users[Math.floor(random() * users.length)];
  if (!slot) return;
  const involved = new Set(slot.involved);
  let stranger: Camera | undefined;
  for (let tries = 0; tries < 16 && !stranger; tries++) {
    const candidate = cameras[Math.floor(random() * cameras.length)];
    if (candidate && !involved.has(candidate.cameraId)) stranger = candidate;
  }
  if (!stranger) return; // a world where this user is involved with every camera: nothing to be curious about
  const recorder = new ShippingRecorder(settings.collectorUrl, settings.collectorToken, data.instance, exec.vu.idInTest);
  const emittingFor = Math.max(0, Date.now() - data.startedAt - header.rampMs / 2) / 1000;
  visit({
    user: slot.user,
    strangerCameraId: stranger.cameraId,
    httpBase: bases.httpBase,
    recorder,
    leaks: new LeakCounter(involved),
    madeSoFar: Math.floor(emittingFor * header.traffic.eventRate),
    random,
  });
  recorder.finish();
}
