/**
 * The fleet in this process: every camera and user of the plan's world, thousands of sockets on one scheduler each
 * for cameras and users (simulators/protocol), one camera and one user fleet per client proxy shard. Cameras share
 * acknowledged event ids with curious users through one ring.
 */
import { randomBytes } from 'node:crypto';
import { startCameraFleet } from '../../../simulators/protocol/camera-fleet.ts';
import { RecentEvents } from '../../../simulators/protocol/recent-events.ts';
import { APP_BACKOFF } from '../../../simulators/protocol/random.ts';
import { startRefreshFleet } from '../../../simulators/protocol/refresh-fleet.ts';
import { startUserFleet } from '../../../simulators/protocol/user-fleet.ts';
import type { Camera, User } from '../../world/types.ts';
import type { FleetPlan, RunningFleet } from './fleet.ts';

/** Loops are bounded in count as well as time: at most this many times the planned traffic. */
const HEADROOM = 2;

export function startInProcessFleet(plan: FleetPlan): RunningFleet {
  const recent = new RecentEvents();
  const cameras = byShard(plan.world.cameras, plan.slice?.cameras ?? plan.world.cameras, plan.shards.length);
  const users = byShard(plan.world.users, plan.slice?.users ?? plan.world.users, plan.shards.length);
  const shards = plan.shards.map((endpoints, shard) => startShard(plan, endpoints, shard, cameras[shard]!, users[shard]!, recent));
  return {
    camerasConnected: () => shards.reduce((sum, fleet) => sum + fleet.cameras.connected(), 0),
    usersLoggedIn: () => shards.reduce((sum, fleet) => sum + fleet.users.stats().loggedIn, 0),
    stop: async () => void (await Promise.all(shards.flatMap((fleet) => [fleet.cameras.stop(), fleet.users.stop()]))),
  };
}

/** `mine` (some of `all`) split by shard: the one at index k of `all` goes to shard k % shards, whichever process drives it. */
function byShard<T extends Camera | User>(all: readonly T[], mine: readonly T[], shards: number): T[][] {
  const id = (client: Camera | User): string => ('cameraId' in client ? client.cameraId : client.userId);
  const index = new Map(all.map((client, k) => [id(client), k]));
  const split: T[][] = Array.from({ length: shards }, () => []);
  for (const client of mine) split[index.get(id(client))! % shards]!.push(client);
  return split;
}

/** The cameras and users that go through one shard of the client proxies, at `endpoints`. */
function startShard(plan: FleetPlan, endpoints: Record<string, string>, shard: number, mine: Camera[], theirs: User[], recent: RecentEvents) {
  const { world, traffic } = plan;
  const seconds = (plan.endsAt - plan.startedAt) / 1000;
  // Shard 0 keeps the run's seed, so a one-shard fleet does what it always did.
  const seed = plan.seed ^ shard;
  const cameras = startCameraFleet({
    adapter: plan.adapter,
    endpoints,
    adapterOptions: plan.adapterOptions,
    allowRemote: plan.allowRemote,
    world,
    cameras: mine,
    recorder: plan.recorder,
    rate: traffic.eventRate,
    policy: traffic.reconnect,
    key: randomBytes(16),
    // Cameras go quiet at the drain but stay connected, so what they sent last is still acknowledged.
    deadline: plan.endsAt,
    quietMs: plan.endsAt - plan.drainAt,
    maxEvents: Math.ceil(mine.length * traffic.eventRate * seconds * HEADROOM) + 100,
    rampMs: plan.rampMs,
    seed,
    recent,
  });
  const userOptions = {
    adapter: plan.adapter,
    endpoints,
    adapterOptions: plan.adapterOptions,
    allowRemote: plan.allowRemote,
    world,
    users: theirs,
    recorder: plan.recorder,
    deadline: plan.endsAt,
    rampMs: plan.rampMs,
    seed,
    recent,
  };
  const { refresh } = traffic;
  const users = refresh ? startRefreshFleet({
    ...userOptions,
    // As fast as the target answers is budgeted at 50 requests a second per user.
    maxRequests: Math.ceil(theirs.length * seconds * Math.max(refresh.ratePerUser, 50) * HEADROOM) + 1000,
    ratePerUser: refresh.ratePerUser,
    burstMs: refresh.burstMs,
    probeEvery: refresh.probeEvery,
  }) : startUserFleet({
    ...userOptions,
    maxRequests: Math.ceil(theirs.length * seconds * 10 * HEADROOM) + 1000,
    pollMs: traffic.pollMs,
    camerasMs: traffic.camerasMs,
    tapMs: traffic.tapMs,
    probeMs: traffic.probeMs,
    // Apps whose connection dropped retry within a second, as phones do when the network returns: a user-side
    // stampede to go with the devices' one.
    streamBackoff: APP_BACKOFF,
  });
  return { cameras, users };
}
