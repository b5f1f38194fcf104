/**
 * A fleet of simulated app users in one process, on one scheduler, driving the backend through its adapter. It
 * stops by itself at its deadline, never makes more than its request budget, and stop() aborts what is in flight
 * and closes every push channel before resolving.
 */
import { AdapterRun } from './adapter-run.ts';
import { seededRandom } from './random.ts';
import { FleetScheduler } from './scheduler.ts';
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
  /** Aborts calls in flight, closes every push channel; resolves when all are gone. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the fleet has stopped, by stop() or at its deadline. */
  readonly done: Promise<void>;
}

const CLOSE_GRACE_MS = 500;

export function startUserFleet(options: UserFleetOptions): UserFleet {
  const config = validateUserFleetOptions(options);
  const run = AdapterRun.from(options, config.requestTimeoutMs, config.recorder);
  let idle!: () => void;
  let drained = new Promise<void>((resolve) => (idle = resolve));
  const scheduler = new FleetScheduler<UserSim>((sim, now) => driver.due(sim, now));
  const driver = new UserDriver(config, run, scheduler, () => idle());
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
    for (const sim of sims) driver.recordUnfinished(sim);
    clearTimeout(deadlineTimer);
    scheduler.stop();
    run.stop();
    if (driver.inflight === 0) drained = Promise.resolve();
    // A hook that ignores the abort and its timeout cannot hold the fleet up for ever.
    const hung = new Promise<void>((resolve) => setTimeout(resolve, config.requestTimeoutMs + CLOSE_GRACE_MS).unref());
    stopping = (async () => {
      await Promise.all([Promise.race([drained, hung]), driver.streams.closeAll(CLOSE_GRACE_MS)]);
      finish();
    })();
    return stopping;
  };
  const deadlineTimer = setTimeout(() => void stop(), Math.max(0, config.deadline - now));

  return {
    stats: () => ({ ...driver.counters, users: sims.length, loggedIn: sims.reduce((n, sim) => n + (sim.session === undefined ? 0 : 1), 0) }),
    stop,
    done,
  };
}
