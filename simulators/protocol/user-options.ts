/** The user fleet's configuration, checked once up front so a bad value is one clear error, not a crash. */
import { UsageError } from '../../src/errors.ts';
import { MAX_EVENTS_LIMIT } from '../../src/protocol/schema.ts';
import type { Recorder } from '../../src/world/history.ts';
import type { User, World } from '../../src/world/types.ts';
import type { AdapterFleetOptions } from './adapter-run.ts';
import type { RecentEvents } from './recent-events.ts';

/** What `startUserFleet` is given. Intervals are mean gaps in ms (jittered); `deadline` is ms since the epoch. */
export interface UserFleetOptions extends AdapterFleetOptions {
  world: World;
  /** The users this process drives; all of the world's by default. */
  users?: User[];
  recorder: Recorder;
  /** The fleet stops by itself at this time. */
  deadline: number;
  /** HTTP requests across the whole fleet never exceed this. */
  maxRequests: number;
  seed?: number;
  /** Poll `/v1/events` this often. Default 1000. */
  pollMs?: number;
  /** Page size asked for (1..500). Default 100. */
  pageLimit?: number;
  /** Refresh `/v1/cameras` this often. Default 10 000. */
  camerasMs?: number;
  /** Open a thumbnail of an event the user was shown this often. Default 2000. */
  tapMs?: number;
  /** Ask for a thumbnail of someone else's event this often (needs `recent`); 0 = never. Default 5000. */
  probeMs?: number;
  /** Hold the push stream. Default true. */
  stream?: boolean;
  /** Backoff (full jitter) for stream reconnects and failed logins. Default 100..5000 ms. */
  streamBackoff?: { baseMs: number; capMs: number };
  /** Every request gives up after this long. Default 5000. */
  requestTimeoutMs?: number;
  /** First logins are spread over this long. Default 0. */
  rampMs?: number;
  /** Recently acknowledged events of all cameras, filled by the camera fleet; curious users pick from it. */
  recent?: RecentEvents;
}

export type UserFleetConfig = Required<Omit<UserFleetOptions, keyof AdapterFleetOptions | 'recent'>> &
  Pick<UserFleetOptions, 'recent'>;

export function validateUserFleetOptions(options: UserFleetOptions): UserFleetConfig {
  const number = (name: string, value: number, min: number): number => {
    if (!Number.isFinite(value) || value < min) throw new UsageError(`user fleet ${name} must be a number >= ${min}, got ${value}`);
    return value;
  };
  if (!Number.isInteger(options.maxRequests) || options.maxRequests < 0) {
    throw new UsageError(`user fleet maxRequests must be a non-negative integer, got ${options.maxRequests}`);
  }
  if (!Number.isFinite(options.deadline)) throw new UsageError('user fleet needs a deadline');
  const pageLimit = options.pageLimit ?? 100;
  if (!Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > MAX_EVENTS_LIMIT) {
    throw new UsageError(`user fleet pageLimit must be an integer in 1..${MAX_EVENTS_LIMIT}, got ${pageLimit}`);
  }
  const streamBackoff = options.streamBackoff ?? { baseMs: 100, capMs: 5000 };
  if (!(streamBackoff.baseMs >= 1 && streamBackoff.capMs >= streamBackoff.baseMs && Number.isFinite(streamBackoff.capMs))) {
    throw new UsageError('stream backoff needs 1 <= base <= cap (ms)');
  }
  const users = options.users ?? options.world.users;
  return {
    world: options.world,
    users,
    recorder: options.recorder,
    deadline: options.deadline,
    maxRequests: options.maxRequests,
    seed: options.seed ?? options.world.seed,
    pollMs: number('pollMs', options.pollMs ?? 1000, 1),
    pageLimit,
    camerasMs: number('camerasMs', options.camerasMs ?? 10_000, 1),
    tapMs: number('tapMs', options.tapMs ?? 2000, 1),
    probeMs: number('probeMs', options.probeMs ?? 5000, 0),
    stream: options.stream ?? true,
    streamBackoff,
    requestTimeoutMs: number('requestTimeoutMs', options.requestTimeoutMs ?? 5000, 1),
    rampMs: number('rampMs', options.rampMs ?? 0, 0),
    recent: options.recent,
  };
}
