/**
 * `--workers 0`: the judge of workers started elsewhere (a Kubernetes Indexed Job's pods). No worker starts here:
 * the collector listens where they can reach it, the run's clock starts once all of them have joined, and at the
 * end each must post its tally within a bounded time. A worker that never joins or never posts its tally is an
 * error naming its index, never a smaller denominator.
 */
import { UnavailableError } from '../../errors.ts';
import { ADAPTER_OPTIONS_ENV } from '../adapter-options.ts';
import { allJoined, openJudgedFleet, WIND_DOWN_MS, type JudgedFleetOptions, type WorkerEnd } from './judged.ts';
import type { StartedWorkers } from './local-workers.ts';

/** Pods are scheduled and their image pulled before they join; past this the run gives up on them. */
export const REMOTE_START_TIMEOUT_MS = 10 * 60_000;

export interface RemoteWorkersOptions extends JudgedFleetOptions {
  host: string;
  port: number;
  token: string;
  /** The worker command's flags besides collector, index and count, printed for whoever starts them. */
  workerArgs: string[];
  /** The `--adapter-option` keys the workers need too: named in the hint, their values never printed. */
  adapterOptionKeys?: readonly string[];
  signal: AbortSignal;
}

export async function awaitRemoteWorkers(options: RemoteWorkersOptions): Promise<StartedWorkers> {
  const { count, log, signal } = options;
  const judged = await openJudgedFleet(options);
  const { collector } = judged;
  const label = (index: number): string => `worker ${index + 1} of ${count} (--index ${index})`;
  // The token and option values are never printed: whoever starts the workers has them already (the Secret, or
  // the run's environment); only which options they need is said.
  const keys = options.adapterOptionKeys ?? [];
  const adapterEnv = keys.length === 0 ? '' : ` and ${ADAPTER_OPTIONS_ENV} set to this run's --adapter-option values as one JSON object ` +
    `(keys ${keys.join(', ')}, e.g. {"${keys[0]}":"..."})`;
  log(`stampede: waiting up to ${REMOTE_START_TIMEOUT_MS / 60_000} min for ${count} workers on ${collector.url}; start each, with ` +
    `STAMPEDE_COLLECTOR_TOKEN set to this run's token${adapterEnv}, as: bin/stampede worker ${options.workerArgs.join(' ')} --collector ${collector.url} ` +
    `--count ${count} --index I (I from 0 to ${count - 1}, or JOB_COMPLETION_INDEX)`);
  if (!(await allJoined(collector, count, Date.now() + REMOTE_START_TIMEOUT_MS, signal))) {
    await judged.close();
    const missing = Array.from({ length: count }, (_, index) => index).filter((index) => !collector.hellos().has(index));
    throw new UnavailableError(`${missing.map(label).join(', ')} never joined${signal.aborted ? '' : ` within ${REMOTE_START_TIMEOUT_MS / 60_000} min`}`,
      'start every worker with the command printed above');
  }
  log(`stampede: all ${count} workers joined`);
  return {
    close: () => judged.close(),
    begin(startedAt, endsAt, runSignal) {
      collector.start(startedAt);
      const finish = async (aborted: boolean): Promise<WorkerEnd[]> => {
        // Workers post their tallies after their last batch: once every one has, nothing more is coming.
        const deadline = aborted ? Date.now() : Math.max(Date.now(), endsAt) + WIND_DOWN_MS;
        while (Date.now() < deadline && collector.tallies().size < count) await new Promise((resolve) => setTimeout(resolve, 250));
        return Array.from({ length: count }, (_, index) => ({
          index,
          trouble: collector.tallies().has(index) ? '' : `none arrived within ${WIND_DOWN_MS / 1000} s of the run's end from ${label(index)}`,
        }));
      };
      return judged.running(finish, runSignal);
    },
  };
}
