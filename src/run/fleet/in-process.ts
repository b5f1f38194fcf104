/**
 * The fleet in this process: every camera and user of the plan's world, thousands of sockets on one scheduler each
 * for cameras and users (simulators/protocol). Cameras share acknowledged event ids with curious users through one
 * ring.
 */
import { randomBytes } from 'node:crypto';
import { startCameraFleet } from '../../../simulators/protocol/camera-fleet.ts';
import { RecentEvents } from '../../../simulators/protocol/recent-events.ts';
import { startUserFleet } from '../../../simulators/protocol/user-fleet.ts';
import { referenceAdapter } from '../../adapter/reference/index.ts';
import type { FleetPlan, RunningFleet } from './fleet.ts';

/** Loops are bounded in count as well as time: at most this many times the planned traffic. */
const HEADROOM = 2;

export function startInProcessFleet(plan: FleetPlan): RunningFleet {
  const { world, traffic } = plan;
  const { cameras: mine = world.cameras, users: theirs = world.users } = plan.slice ?? {};
  const seconds = (plan.endsAt - plan.startedAt) / 1000;
  const recent = new RecentEvents();
  const cameras = startCameraFleet({
    adapter: referenceAdapter,
    endpoints: { target: plan.target },
    adapterOptions: {},
    allowRemote: plan.allowRemote,
    world,
    cameras: mine,
    recorder: plan.recorder,
    rate: traffic.eventRate,
    policy: traffic.reconnect === 'immediate' ? { kind: 'immediate' } : { kind: 'backoff', baseMs: 250, capMs: 10_000 },
    key: randomBytes(16),
    // Cameras go quiet at the drain but stay connected, so what they sent last is still acknowledged.
    deadline: plan.endsAt,
    quietMs: plan.endsAt - plan.drainAt,
    maxEvents: Math.ceil(mine.length * traffic.eventRate * seconds * HEADROOM) + 100,
    rampMs: plan.rampMs,
    seed: plan.seed,
    recent,
  });
  const users = startUserFleet({
    adapter: referenceAdapter,
    endpoints: { target: plan.target },
    adapterOptions: {},
    allowRemote: plan.allowRemote,
    world,
    users: theirs,
    recorder: plan.recorder,
    deadline: plan.endsAt,
    maxRequests: Math.ceil(theirs.length * seconds * 10 * HEADROOM) + 1000,
    pollMs: traffic.pollMs,
    camerasMs: traffic.camerasMs,
    tapMs: traffic.tapMs,
    probeMs: traffic.probeMs,
    rampMs: plan.rampMs,
    seed: plan.seed,
    // Apps whose connection dropped retry within a second under `immediate`, as phones do when the network
    // returns: a user-side stampede to go with the devices' one.
    streamBackoff: traffic.reconnect === 'immediate' ? { baseMs: 50, capMs: 1_000 } : { baseMs: 100, capMs: 5_000 },
    recent,
  });
  return {
    camerasConnected: () => cameras.connected(),
    usersLoggedIn: () => users.stats().loggedIn,
    stop: async () => void (await Promise.all([cameras.stop(), users.stop()])),
  };
}
