/**
 * `stampede worker`: one slice of a split fleet, in its own process. It builds the run's world from the run's flags,
 * checks with the collector that it is the same run, says hello, waits for the run's clock, drives its cameras and
 * users with the same drivers as a one-process fleet, ships every record to the collector and ends with its tally.
 * It judges nothing: the run's one oracle does, from the union of every worker's records.
 */
import type { Adapter } from '../adapter/types.ts';
import { UnavailableError, UsageError } from '../errors.ts';
import type { AdapterRef, RunConfig } from './config.ts';
import { CollectorLink } from './fleet/link.ts';
import { startInProcessFleet } from './fleet/in-process.ts';
import { Shipper } from './fleet/shipper.ts';
import { sliceOf } from './fleet/slice.ts';
import { fingerprintDifferences, fingerprintOf, fleetTimes, planWorld } from './plan.ts';
import { planScenario } from '../scenario/scenario.ts';
import { sleepUntil } from './time.ts';

export interface WorkerConfig extends Pick<RunConfig, 'scenario' | 'seed' | 'cameras' | 'users' | 'world' | 'durationMs' | 'allowRemote'> {
  /** 0-based. */
  index: number;
  count: number;
  collector: string;
  /** The collector's token, from the environment only. */
  token: string;
  /** What the fleet talks through, and what the plan needs of it (the change kinds it can apply). */
  adapter: AdapterRef;
  loaded: Adapter;
  /**
   * Where the fleet goes: the run's client proxy shards, each as every endpoint through that shard (camera k and
   * user k through shard k % shards.length), checked (loopback unless allowed).
   */
  shards: Record<string, string>[];
  /** From the environment only. */
  adapterOptions: Record<string, string>;
  /** How long to wait for the collector to answer and for the run's clock to start. */
  startTimeoutMs: number;
}

export async function runWorker(config: WorkerConfig, io: { log(line: string): void; signal: AbortSignal }): Promise<void> {
  const name = `worker ${config.index + 1} of ${config.count}`;
  const phases = planScenario(config.scenario, config.durationMs);
  const world = planWorld(config);
  const slice = sliceOf(world, config.index, config.count);
  const link = new CollectorLink(config.collector, config.token, config.index, config.count);
  const startBy = Date.now() + config.startTimeoutMs;

  const run = await link.describe(io.signal, startBy);
  if (run.fingerprint) {
    const differences = fingerprintDifferences(fingerprintOf(config, world), run.fingerprint);
    if (differences.length > 0) throw new UsageError(`${name} was given other flags than its run: ${differences.join('; ')}`, 'give every worker the run\'s flags');
  }
  await link.hello();
  io.log(`stampede: ${name}: ${slice.cameras.length} cameras, ${slice.users.length} users; waiting for the run's clock`);
  const startedAt = await link.clock(io.signal, startBy);
  if (startedAt === undefined) {
    if (io.signal.aborted) return;
    throw new UnavailableError(`${name}: the run's clock did not start within ${config.startTimeoutMs / 1000} s`, 'are all the run\'s workers started?');
  }

  const times = fleetTimes(phases, config.durationMs, startedAt);
  const shipper = new Shipper(link);
  const fleet = startInProcessFleet({
    adapter: config.loaded, shards: config.shards, adapterOptions: config.adapterOptions, allowRemote: config.allowRemote, world, slice, recorder: shipper, traffic: config.scenario.traffic,
    ...times, seed: config.seed, log: io.log,
  });
  try {
    await sleepUntil(times.endsAt, io.signal);
  } finally {
    await fleet.stop();
    await shipper.finish();
  }
  const { records, batchesFailed } = shipper.tally();
  await link.tally({ records, batchesFailed, cameras: slice.cameraIndices, users: slice.userIndices });
  io.log(`stampede: ${name}: ${records} records made${batchesFailed > 0 ? `, ${batchesFailed} batches given up (${shipper.firstFailure})` : ''}`);
  if (batchesFailed > 0) throw new UnavailableError(`${name} could not deliver ${batchesFailed} batches of records: ${shipper.firstFailure}`);
}
