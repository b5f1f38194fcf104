/**
 * `stampede worker [SCENARIO]`: drive slice I of N of a run's fleet and send what it sees to the run's collector
 * (the run itself starts these for `--workers N`; a Kubernetes Indexed Job starts them as pods). Index, count and
 * collector may come from the environment a Job gives each pod; the collector token only ever does.
 * Exit 0 when every record and the tally were delivered, 2 when given flags that are not the run's, 3 otherwise.
 */
import { Option, type Command } from 'commander';
import { scenarios } from '../../scenarios/index.ts';
import { loadAdapter } from '../adapter/load.ts';
import { adapterOptionsFromEnv } from '../run/adapter-options.ts';
import { adapterRef, resolveRunConfig } from '../run/config.ts';
import { parseShardTargets } from '../run/endpoints.ts';
import { runWorker } from '../run/worker.ts';
import { ExitCode, UsageError, describeError, exitCodeOf } from '../errors.ts';
import { collect } from './collect.ts';
import type { Subcommand } from './main.ts';

/** Pods of one Job may start minutes apart (scheduling, image pulls); the run waits for all of them. */
const START_TIMEOUT_MS = 10 * 60_000;

interface WorkerFlags {
  collector?: string;
  index?: string;
  count?: string;
  adapter?: string;
  target?: string[];
  seed?: string;
  cameras?: string;
  users?: string;
  world?: string;
  duration?: string;
  allowRemote: boolean;
}

export const worker: Subcommand = (program: Command, done) => {
  program
    .command('worker')
    .description('drive one slice of a run\'s fleet and send what it sees to the run\'s collector')
    .argument('[scenario]', `one of ${[...scenarios.keys()].join(', ')}`, 'storm')
    .addOption(new Option('--collector <url>', 'the run\'s collector').env('STAMPEDE_COLLECTOR'))
    .addOption(new Option('--index <i>', 'this worker\'s slice, 0-based').env('JOB_COMPLETION_INDEX'))
    .addOption(new Option('--count <n>', 'how many workers the run has').env('STAMPEDE_WORKER_COUNT'))
    .option('--adapter <file>', 'the run\'s adapter: a TypeScript file, or reference (the default); its options come from STAMPEDE_ADAPTER_OPTIONS')
    .option('--target <url>', 'where the fleet goes: the run\'s client proxy, URL or NAME=URL per endpoint, each shard\'s in turn in the run\'s order', collect)
    .option('--seed <n>', 'the run\'s seed')
    .option('--cameras <n>', 'the run\'s cameras')
    .option('--users <n>', 'the run\'s users')
    .option('--world <file>', 'the run\'s world file (its secrets come from this environment, never from flags)')
    .option('--duration <seconds>', 'the run\'s length')
    .option('--allow-remote', 'allow a --target that is not on this machine', false)
    .action(async (scenario: string, flags: WorkerFlags) => {
      // In an outage a fleet's failed connects and calls make errors by the thousand, and Node's streams read each
      // one's stack: mapped back to the TypeScript sources, that was a twentieth of a worker's CPU in the outage. A
      // worker reports errors in one line, so its stacks stay as run (files and functions, transpiled positions).
      process.setSourceMapsEnabled(false);
      const config = await workerConfig(scenario, flags, process.env.STAMPEDE_COLLECTOR_TOKEN);
      done(await runWithSignals(config));
    });
};

async function workerConfig(scenario: string, flags: WorkerFlags, token: string | undefined): Promise<Parameters<typeof runWorker>[0]> {
  const missing = (['collector', 'index', 'count', 'target', 'seed'] as const).filter((flag) => flags[flag] === undefined);
  if (missing.length > 0) throw new UsageError(`stampede worker needs ${missing.map((flag) => `--${flag}`).join(', ')}`, 'give it the run\'s flags (the run prints them)');
  if (!token) throw new UsageError('stampede worker needs the collector token in STAMPEDE_COLLECTOR_TOKEN', 'set it to the run\'s token (never a flag: it would show in process lists)');
  const count = wholeNumber('--count', flags.count!, 1);
  const index = wholeNumber('--index', flags.index!, 0);
  if (index >= count) throw new UsageError(`--index ${index} is outside 0..${count - 1} for --count ${count}`);
  const adapterOptions = adapterOptionsFromEnv();
  const loaded = await loadAdapter(flags.adapter);
  // The plan's flags only: where the run's target is and what it can do are the run's business, checked there.
  const run = resolveRunConfig({ scenario, seed: flags.seed, cameras: flags.cameras, users: flags.users, world: flags.world, duration: flags.duration }, scenarios, new Date());
  const shards = parseShardTargets(flags.target!, loaded.adapter.name, loaded.adapter.endpoints, flags.allowRemote);
  return {
    scenario: run.scenario, seed: run.seed, cameras: run.cameras, users: run.users, ...(run.world ? { world: run.world } : {}), durationMs: run.durationMs,
    adapter: adapterRef(loaded), loaded: loaded.adapter, shards, adapterOptions, allowRemote: flags.allowRemote, index, count, collector: flags.collector!, token,
    startTimeoutMs: START_TIMEOUT_MS,
  };
}


function wholeNumber(flag: string, value: string, min: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > 10_000) throw new UsageError(`${flag} must be a whole number from ${min} to 10000, got ${value}`);
  return number;
}

async function runWithSignals(config: Parameters<typeof runWorker>[0]): Promise<number> {
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(ExitCode.interrupted);
    abort.abort();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const log = (line: string) => void process.stderr.write(`${line}\n`);
  try {
    await runWorker(config, { log, signal: abort.signal });
    return ExitCode.ok;
  } catch (error) {
    log(`stampede: ${describeError(error)}`);
    return exitCodeOf(error);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}
