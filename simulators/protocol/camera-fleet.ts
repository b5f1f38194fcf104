/**
 * A fleet of simulated cameras in one process: thousands of device sockets on one scheduler. It stops by itself
 * at its deadline, never creates more than its event budget, and stop() closes every socket before resolving.
 */
import { type CameraFleetOptions, validateCameraFleetOptions } from './camera-options.ts';
import { CameraDriver, type CameraCounters, type CameraSim } from './camera.ts';
import { seededRandom } from './random.ts';
import { FleetScheduler } from './scheduler.ts';
import { endpoint } from '../../src/protocol/endpoint.ts';
import { resolveTarget } from './target.ts';

export type { CameraFleetOptions } from './camera-options.ts';

export interface CameraFleetStats extends CameraCounters {
  cameras: number;
  /** Events sent and not yet acknowledged, fleet-wide. */
  unacked: number;
}

/** A running camera fleet. */
export interface CameraFleet {
  /** Cameras currently welcomed by the target. */
  connected(): number;
  stats(): CameraFleetStats;
  /** Closes every socket and stops the clock; resolves once all sockets are closed. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the fleet has stopped, by stop() or at its deadline. */
  readonly done: Promise<void>;
}

/** Sockets still open this long after stop() asked them to close are cut. */
const CLOSE_GRACE_MS = 500;

export function startCameraFleet(options: CameraFleetOptions): CameraFleet {
  const target = resolveTarget(options.target, options.allowRemote);
  const config = validateCameraFleetOptions(options);
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const scheduler = new FleetScheduler<CameraSim>((sim, now) => driver.due(sim, now));
  const driver = new CameraDriver(config, endpoint(target, '/v1/device', 'ws'), scheduler, () => finish());
  const sims = config.cameras.map((camera) => driver.newSim(camera));
  const ramp = seededRandom(config.seed ^ 0x7a3b);
  const now = Date.now();
  for (const sim of sims) scheduler.schedule(sim, now + ramp() * config.rampMs);
  scheduler.start();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    if (stopping) return stopping;
    driver.stopping = true;
    clearTimeout(deadlineTimer);
    scheduler.stop();
    if (driver.open.size === 0) finish();
    for (const socket of driver.open) socket.close(1001, 'fleet stopping');
    const cut = setTimeout(() => {
      for (const socket of driver.open) socket.terminate();
    }, CLOSE_GRACE_MS);
    stopping = done.then(() => clearTimeout(cut));
    return stopping;
  };
  const deadlineTimer = setTimeout(() => void stop(), Math.max(0, config.deadline - now));

  return {
    connected: () => driver.counters.live,
    stats: () => ({
      ...driver.counters,
      cameras: sims.length,
      unacked: sims.reduce((sum, sim) => sum + sim.unacked.size, 0),
    }),
    stop,
    done,
  };
}
