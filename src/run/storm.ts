/**
 * `stampede run`: the whole lifecycle of a storm, step by step, in one place (as Jepsen's `run!` does).
 *
 *  1. plan: the scenario's phases for this duration, the world from the seed;
 *  2. Toxiproxy: the provisioned server, or the one --toxiproxy names;
 *  3. the target: the embedded reference cloud with its Redis behind a cache proxy, or the --target given;
 *     the client proxy in front of it; its health; the world seeded through the admin API;
 *  4. the journal, opened before any load so every record reaches the disk;
 *  5. the workers: `--workers N` processes, each driving one slice of the fleet, started and joined (or, for
 *     `--workers 0`, the workers started elsewhere joined), all sending their records to the run's collector;
 *  6. the body: the run's clock starts, the workers' cameras and users go through the client proxy, the nemesis
 *     runs the fault schedule, the planned access changes are applied on time, a phase record marks each
 *     boundary, until the run's end (or a worker dies);
 *  7. teardown in reverse order, whatever happened: workers stopped and judged, faults healed, proxies removed, processes
 *     stopped; then the verdict from the live oracle, summary.json and the console summary.
 *
 * Ctrl-C (the signal) and the deadline end the body early; the teardown and the report still happen.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { adminClient, AdminCallError, type AdminClient } from '../../simulators/protocol/admin.ts';
import { createRunProxies, type RunProxies } from '../chaos/run-proxies.ts';
import { Nemesis, stepsFromPhases } from '../chaos/nemesis.ts';
import { ToxiproxyClient } from '../chaos/toxiproxy.ts';
import { UnavailableError } from '../cli/exit.ts';
import { gateSpecOf } from '../oracle/gates.ts';
import { consoleSummary } from '../report/console.ts';
import { reporters } from '../report/index.ts';
import { writeReports } from '../report/reporter.ts';
import type { RunFacts, RunSettings } from '../report/summary.ts';
import { startToxiproxy, type ToxiproxyServer } from '../services/toxiproxy-server.ts';
import type { Recorder, WorkerShare } from '../world/history.ts';
import { worldToSeed } from '../world/seed.ts';
import type { World } from '../world/types.ts';
import { applyChanges } from './changes.ts';
import type { RunConfig } from './config.ts';
import type { RunningFleet } from './fleet/fleet.ts';
import { startLocalWorkers, type StartedWorkers } from './fleet/local-workers.ts';
import { awaitRemoteWorkers } from './fleet/remote-workers.ts';
import { cloudPort, embeddedRedis, startEmbeddedCloud } from './embedded.ts';
import { Journal, type JournalHeader } from './journal.ts';
import { runLifecycle, type Step } from './lifecycle.ts';
import type { LiveRun, Watcher } from './live.ts';
import { metricsStep, type MetricsEndpoint } from './metrics.ts';
import { RunObservers, type RunResult } from './observers.ts';
import { plainProgress } from './progress.ts';
import { FanOut } from './recorders.ts';
import { fingerprintOf, fleetTimes, planWorld } from './plan.ts';
import { planScenario, type Phase } from './scenario.ts';
import { sleepUntil } from './time.ts';

export interface RunIo {
  /** Progress and diagnostics, one line each. */
  log(line: string): void;
  /** The console summary at the end. */
  out(text: string): void;
  /** Ctrl-C. */
  signal: AbortSignal;
  /** The command line that repeats this run, without secrets. */
  command: string;
  /** What watches the run while it goes; default: a plain progress line every few seconds on `log`. */
  watchers?: Watcher[];
}

export interface RunOutcome extends RunResult {
  /** Why the run could not be judged, when a step failed before or during the load. */
  failure?: { title: string; error: unknown };
  interrupted: boolean;
}

/** Everything the steps build up, torn down in reverse. */
interface RunState {
  config: RunConfig;
  io: RunIo;
  phases: Phase[];
  world: World;
  recorder: FanOut;
  observers: RunObservers;
  toxiproxy?: ToxiproxyServer;
  proxies?: RunProxies;
  admin?: AdminClient;
  targetUrl?: string;
  /** Present for the embedded cloud: the Redis host:port its cache proxy forwards to. */
  cacheUpstream?: string;
  cloudPort?: number;
  journal?: Journal;
  metrics?: MetricsEndpoint;
  /** The workers, joined and waiting for the run's clock. */
  workers?: StartedWorkers;
  /** The fleet under way, asked for each worker's share once it has stopped. */
  fleet?: RunningFleet;
  header: JournalHeader;
  startedAt: number;
}

/** Runs the configured storm end to end and judges it. Throws only UsageError before anything started. */
export async function runStorm(config: RunConfig, io: RunIo): Promise<RunOutcome> {
  const phases = planScenario(config.scenario, config.durationMs);
  const world = planWorld(config);
  const startedAt = Date.now();
  const header: JournalHeader = {
    type: 'run',
    version: 1,
    startedAt,
    scenario: config.scenario.name,
    seed: config.seed,
    command: io.command,
    // The effective gates go in the journal so `stampede report` holds the run to the same ones.
    settings: { ...settingsOf(config), gates: gateSpecOf(config.gates) },
    world,
  };
  const state: RunState = { config, io, phases, world, recorder: new FanOut(), observers: new RunObservers(world, startedAt), header, startedAt };
  state.recorder.add('oracle', state.observers);
  await mkdir(config.outDir, { recursive: true });

  const result = await runLifecycle(state, steps(config), io.signal, runLoad);
  const endedAt = Date.now();
  const interrupted = result.aborted ? 'stopped by Ctrl-C' : result.failed ? `${result.failed.title} failed` : undefined;
  // The end mark tells `stampede report` this journal is whole (a killed run has none) and how the run ended.
  const workers = state.fleet?.workers?.();
  state.journal?.record({
    type: 'end', t: endedAt, startedAt: state.startedAt, ...(interrupted ? { interrupted } : {}), ...(workers ? { workers } : {}),
  });
  await state.journal?.close();
  for (const { title, error } of result.teardownErrors) io.log(`warning: ${title}: teardown failed: ${(error as Error).message}`);
  for (const { name, error } of state.recorder.failures) io.log(`warning: the ${name} stopped recording: ${(error as Error).message}`);
  const judged = state.observers.result(runFacts(state, endedAt, interrupted, workers));
  const reports = await writeReports(reporters, judged, { header, outDir: config.outDir });
  for (const { format, error } of reports.failed) io.log(`warning: the ${format} report failed: ${(error as Error).message}`);
  if (!result.failed || state.journal) io.out(consoleSummary(judged.summary, config.outDir));
  return { ...judged, ...(result.failed ? { failure: result.failed } : {}), interrupted: result.aborted };
}

function steps(config: RunConfig): Step<RunState>[] {
  const all: Step<RunState>[] = [
    {
      title: 'Toxiproxy',
      async setup(state) {
        state.toxiproxy = await startToxiproxy({ url: config.toxiproxyUrl, log: state.io.log });
        return () => state.toxiproxy?.stop();
      },
    },
  ];
  if (config.metricsPort !== undefined) all.unshift(metricsStep(config.metricsPort));
  if (!config.target) {
    all.push({
      title: 'Redis for the reference cloud',
      async setup(state) {
        const { redis, upstream } = await embeddedRedis(state.io.log);
        state.cacheUpstream = upstream;
        return () => redis.stop();
      },
    });
  }
  all.push(
    {
      title: 'the run\'s proxies',
      async setup(state) {
        const client = new ToxiproxyClient(state.toxiproxy!.url);
        let upstream: string;
        if (config.target) {
          upstream = new URL(config.target.url).host;
        } else {
          state.cloudPort = await cloudPort();
          upstream = `127.0.0.1:${state.cloudPort}`;
        }
        state.proxies = await createRunProxies(client, {
          client: { upstream },
          ...(state.cacheUpstream ? { cache: { upstream: state.cacheUpstream } } : {}),
        });
        return () => state.proxies?.remove();
      },
    },
    {
      title: 'the target',
      async setup(state) {
        if (config.target) {
          state.targetUrl = config.target.url;
          state.admin = adminClient(config.target.url, config.target.adminToken);
          await state.admin.health();
          return;
        }
        const cache = state.proxies!.cache!;
        const cloud = await startEmbeddedCloud(state.cloudPort!, `redis://${cache.host}:${cache.port}`, config.bug);
        state.targetUrl = cloud.url;
        state.admin = adminClient(cloud.url, cloud.adminToken);
        await state.admin.health();
        return async () => void (await cloud.child.stop());
      },
    },
    {
      title: 'seeding the world',
      async setup(state) {
        try {
          await state.admin!.seed(worldToSeed(state.world));
        } catch (error) {
          if (error instanceof AdminCallError) throw new UnavailableError(`seeding the target failed: ${error.message}`, 'check the admin token and the target');
          throw error;
        }
      },
    },
    {
      title: 'the journal',
      setup(state) {
        state.journal = new Journal(join(config.outDir, 'journal.ndjson'), state.header);
        state.recorder.add('journal', state.journal);
        // Closed after the teardown, once the end mark is written; a flush here keeps the evidence if teardown hangs.
        return () => state.journal?.flush();
      },
    },
    {
      title: 'the workers',
      async setup(state, signal) {
        state.workers = await startWorkers(state, signal);
        return () => state.workers?.close();
      },
    },
  );
  return all;
}

/** The run's workers: started here (`--workers N`), or joined from elsewhere (`--workers 0`). */
function startWorkers(state: RunState, signal: AbortSignal): Promise<StartedWorkers> {
  const { config, world, recorder, io } = state;
  const target = `http://${state.proxies!.client.host}:${state.proxies!.client.port}`;
  const workerArgs = [config.scenario.name, '--target', target, '--seed', String(config.seed), '--cameras', String(config.cameras),
    '--users', String(config.users), '--duration', String(config.durationMs / 1000), ...(config.allowRemote ? ['--allow-remote'] : [])];
  const common = { recorder, world, fingerprint: fingerprintOf(config, world), log: io.log, workerArgs };
  const remote = config.remoteWorkers;
  if (remote) return awaitRemoteWorkers({ ...common, count: remote.count, host: remote.host, port: remote.port, token: remote.token, signal });
  return startLocalWorkers({ ...common, count: config.workers });
}

/** The load itself: fleets, nemesis, access changes and phase marks, until the end of the run or an abort. */
async function runLoad(state: RunState, signal: AbortSignal): Promise<void> {
  const { config, phases, world, recorder, io } = state;
  // Every worker has joined: the clock starts now for all of them at once.
  const { startedAt, endsAt } = fleetTimes(phases, config.durationMs, Date.now());
  state.startedAt = startedAt;
  const fleet = state.workers!.begin(startedAt, endsAt, signal);
  state.fleet = fleet;
  // A fleet that breaks (a worker died) ends the body early; its stop() then says why the run cannot be judged.
  const body = new AbortController();
  const end = (): void => body.abort();
  signal.addEventListener('abort', end, { once: true });
  void fleet.broken?.then((why) => {
    io.log(`stampede: ${why}; ending the run`);
    end();
  });
  // A fleet whose records arrive late takes the orchestrator's too, so the oracle sees one time order.
  const ordered: Recorder = fleet.recorder ?? recorder;
  const proxies = Object.fromEntries(Object.entries(state.proxies!.controls).filter(([, control]) => control !== undefined));
  const schedule = stepsFromPhases(phases).filter((step) => {
    if (proxies[step.path]) return true;
    io.log(`note: ${step.label} (${step.fault} on the ${step.path} path) is skipped: this target has no ${step.path} proxy`);
    return false;
  });
  const nemesis = new Nemesis({ steps: schedule, proxies, recorder: ordered, deadline: config.durationMs, signal: body.signal });
  const live = liveRun(state, fleet, endsAt);
  const watchers = [...(io.watchers ?? [plainProgress(io.log)]), ...(state.metrics ? [state.metrics.watch] : [])];
  const stopWatchers = watchers.map((watch) => watch(live));
  try {
    await Promise.all([
      nemesis.run(startedAt),
      applyChanges(world.changes, state.admin!, ordered, startedAt, body.signal),
      markPhases(phases, ordered, startedAt, body.signal),
      sleepUntil(endsAt, body.signal),
    ]);
  } finally {
    signal.removeEventListener('abort', end);
    for (const stop of stopWatchers) stop();
    await nemesis.healAll();
    await fleet.stop();
  }
}

async function markPhases(phases: Phase[], recorder: Recorder, startedAt: number, signal: AbortSignal): Promise<void> {
  for (const phase of phases) {
    if (!(await sleepUntil(startedAt + phase.startMs, signal))) return;
    recorder.record({ type: 'phase', t: Date.now(), name: phase.name });
  }
}

function liveRun(state: RunState, fleet: RunningFleet, endsAt: number): LiveRun {
  return {
    scenario: state.config.scenario.name,
    startedAt: state.startedAt,
    endsAt,
    phase: () => [...state.phases].reverse().find((p) => state.startedAt + p.startMs <= Date.now())?.name ?? '-',
    cameras: { total: state.world.cameras.length, connected: () => fleet.camerasConnected() },
    users: { total: state.world.users.length, loggedIn: () => fleet.usersLoggedIn() },
    count: (type) => state.recorder.count(type as never),
    checks: () => state.observers.oracle.progress(),
    surfaces: () => state.observers.oracle.bySurface(),
    activeFaults: () => state.observers.activeFaults(),
  };
}

/** The run's settings as the journal header and the summary both carry them. */
function settingsOf(config: RunConfig): RunSettings & Record<string, unknown> {
  return {
    target: config.target ? config.target.url : 'embedded',
    bug: config.bug,
    cameras: config.cameras,
    users: config.users,
    durationS: config.durationMs / 1000,
  };
}

function runFacts(state: RunState, endedAt: number, interrupted: string | undefined, workers: WorkerShare[] | undefined): RunFacts {
  const { config } = state;
  return {
    scenario: config.scenario.name,
    seed: config.seed,
    command: state.io.command,
    ...settingsOf(config),
    gates: config.gates,
    ...(workers ? { workers } : {}),
    startedAt: state.startedAt,
    endedAt,
    ...(interrupted ? { interrupted } : {}),
  };
}
