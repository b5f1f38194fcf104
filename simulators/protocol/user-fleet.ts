/**
 * A fleet of simulated app users in one process, sharing one keep-alive agent and one scheduler. It stops by
 * itself at its deadline, never makes more than its request budget, and stop() aborts what is in flight, closes
 * every stream and the agent before resolving.
 */
import { Agent } from 'undici';
import { seededRandom } from './random.ts';
import { FleetScheduler } from './scheduler.ts';
import { resolveTarget } from './target.ts';
import { TargetClient } from './user-http.ts';
import { type UserFleetOptions, validateUserFleetOptions } from './user-options.ts';
import { type UserCounters, UserDriver, type UserSim } from './user.ts';

export type { UserFleetOptions } from './user-options.ts';

export interface UserFleetStats extends UserCounters {
  users: number;
  loggedIn: number;
}

/** A running user fleet. */
export interface UserFleet {
  stats(): UserFleetStats;
  /** Aborts requests in flight, closes every stream and connection; resolves when all are gone. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the fleet has stopped, by stop() or at its deadline. */
  readonly done: Promise<void>;
}

const CLOSE_GRACE_MS = 500;

export function startUserFleet(options: UserFleetOptions): UserFleet {
  const target = resolveTarget(options.target, options.allowRemote);
  const config = validateUserFleetOptions(options);
  const agent = new Agent({
    connections: config.connections,
    keepAliveTimeout: 10_000,
    headersTimeout: config.requestTimeoutMs,
    bodyTimeout: config.requestTimeoutMs,
  });
  const abort = new AbortController();
  let idle!: () => void;
  let drained = new Promise<void>((resolve) => (idle = resolve));
  const scheduler = new FleetScheduler<UserSim>((sim, now) => driver.due(sim, now));
  const driver = new UserDriver(config, new TargetClient(target, agent, config.requestTimeoutMs, abort.signal), target, scheduler, () => idle());
  const ramp = seededRandom(config.seed ^ 0x9a11);
  const now = Date.now();
  const sims = config.users.map((user) => driver.newSim(user, now + ramp() * config.rampMs));
  for (const sim of sims) scheduler.schedule(sim, sim.nextLogin);
  scheduler.start();

  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    if (stopping) return stopping;
    driver.stopping = true;
    clearTimeout(deadlineTimer);
    scheduler.stop();
    abort.abort();
    if (driver.inflight === 0) drained = Promise.resolve();
    stopping = (async () => {
      await Promise.all([drained, driver.streams.closeAll(CLOSE_GRACE_MS)]);
      await agent.destroy();
      finish();
    })();
    return stopping;
  };
  const deadlineTimer = setTimeout(() => void stop(), Math.max(0, config.deadline - now));

  return {
    stats: () => ({ ...driver.counters, users: sims.length, loggedIn: sims.reduce((n, sim) => n + (sim.token ? 1 : 0), 0) }),
    stop,
    done,
  };
}
