/**
 * A fleet of simulated cameras in one process: thousands of device connections, through the backend's adapter, on
 * one scheduler. It stops by itself at its deadline, never creates more than its event budget, and stop() closes
 * every connection before resolving.
 */
import { AdapterRun } from './adapter-run.ts';
import { type CameraFleetOptions, validateCameraFleetOptions } from './camera-options.ts';
import { CameraDriver, type CameraCounters, type CameraSim } from './camera.ts';
import { seededRandom } from './random.ts';
import { FleetScheduler } from './scheduler.ts';

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
  /** Closes every connection and stops the clock; resolves once all are closed. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the fleet has stopped, by stop() or at its deadline. */
  readonly done: Promise<void>;
}

/** Connections still open this long after stop() asked them to close are cut. */
const CLOSE_GRACE_MS = 500;

export function startCameraFleet(options: CameraFleetOptions): CameraFleet {
  const config = validateCameraFleetOptions(options);
  const run = AdapterRun.from(options, config.welcomeTimeoutMs, config.recorder);
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const scheduler = new FleetScheduler<CameraSim>((sim, now) => driver.due(sim, now));
  const driver = new CameraDriver(config, run, scheduler);
  const sims = config.cameras.map((camera) => driver.newSim(camera));
  const ramp = seededRandom(config.seed ^ 0x7a3b);
  const now = Date.now();
  for (const sim of sims) scheduler.schedule(sim, now + ramp() * config.rampMs);
  scheduler.start();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    if (stopping) return stopping;
    clearTimeout(deadlineTimer);
    scheduler.stop();
    stopping = (async () => {
      await driver.stopAll(sims, CLOSE_GRACE_MS);
      // Whatever is still open or connecting is cut now.
      run.stop();
      finish();
    })();
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
