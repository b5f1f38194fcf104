/**
 * `stampede run`: the whole lifecycle of a storm, step by step, in one place (as Jepsen's `run!` does).
 *
 *  1. plan: the scenario's phases for this duration, the world from the seed, the fault schedule (validated) and
 *     what the run must observe to have tested anything (written to the journal header);
 *  2. Toxiproxy: the provisioned server, one per client proxy shard, or the one --toxiproxy names;
 *  3. the target: the embedded reference cloud with its Redis behind a cache proxy, or the --target given;
 *     the client proxy in front of it (its shards, each fleet client through one); its health; the world seeded
 *     through the admin API;
 *  4. the journal, opened before any load so every record reaches the disk;
 *  5. the workers: `--workers N` processes, each driving one slice of the fleet, started and joined (or, for
 *     `--workers 0`, the workers started elsewhere joined), all sending their records to the run's collector;
 *  6. the body: the run's clock starts, the workers' cameras and users go through the client proxy, the nemesis
 *     runs the fault schedule, the planned access changes are applied on time, a phase record marks each
 *     boundary, the target and Toxiproxy watched (a death is recorded and said at once), until the run's end
 *     (or a worker dies);
 *  7. teardown in reverse order, whatever happened: workers stopped and judged, faults healed, proxies removed, processes
 *     stopped; then the verdict from the live oracle, summary.json and the console summary.
 *
 * Ctrl-C (the signal) and the deadline end the body early; the teardown and the report still happen.
 */
import { join } from 'node:path';
import { adminClient, AdminCallError, type AdminClient } from '../../simulators/protocol/admin.ts';
import { createRunProxies, type RunProxies } from '../chaos/run-proxies.ts';
import { Nemesis, type ProxyPath } from '../chaos/nemesis.ts';
import { ToxiproxyClient } from '../chaos/toxiproxy.ts';
import { UnavailableError } from '../errors.ts';
import { gateSpecOf } from '../oracle/gates.ts';
import { viaProxy } from '../protocol/endpoint.ts';
import { keepSecret } from '../protocol/redact.ts';
import { consoleSummary } from '../report/console.ts';
import { reporters } from '../report/index.ts';
import { reportFailure, writeReports } from '../report/reporter.ts';
import type { RunFacts } from '../report/summary.ts';
import { startToxiproxies, type ToxiproxyServer } from '../services/toxiproxy-server.ts';
import type { Recorder, WorkerShare } from '../world/history.ts';
import type { ChildExit } from '../services/child.ts';
import { worldToSeed } from '../world/seed.ts';
import type { World } from '../world/types.ts';
import { applyChanges } from './changes.ts';
import { CLIENTS_PER_SHARD, type RunConfig } from './config.ts';
import type { RunningFleet } from './fleet/fleet.ts';
import { startLocalWorkers, type StartedWorkers } from './fleet/local-workers.ts';
import { awaitRemoteWorkers } from './fleet/remote-workers.ts';
import { cloudPort, embeddedRedis, startEmbeddedCloud } from './embedded.ts';
import { planExpectations, planFaults, type FaultPlan } from './expectations.ts';
import { Journal } from './journal.ts';
import { holdLeftover, sweepLeftovers } from './leftovers.ts';
import { runLifecycle, type Step } from './lifecycle.ts';
import type { LiveRun, Watcher } from './live.ts';
import { metricsStep, type MetricsEndpoint } from './metrics.ts';
import { prepareOutDir } from './out-dir.ts';
import { RunObservers } from './observers.ts';
import { plainProgress } from './progress.ts';
import { FanOut } from './recorders.ts';
import { fingerprintOf, fleetTimes, planWorld } from './plan.ts';
import { planScenario, type Phase } from '../scenario/scenario.ts';
import { httpProbe, watchServices, type WatchedService } from './service-watch.ts';
import { sleepUntil } from './time.ts';
import { journalLoss, outputFailure, unwrittenOf } from './unwritten.ts';
import type { JournalHeader, RunSettings } from '../world/journal-header.ts';
import type { RunResult } from '../report/result.ts';

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
  faults: FaultPlan;
  world: World;
  recorder: FanOut;
  observers: RunObservers;
  /** The run's Toxiproxy servers: the first holds the cache proxy, shard i of the client proxy is on server i % count. */
  toxiproxies?: ToxiproxyServer[];
  proxies?: RunProxies;
  admin?: AdminClient;
  targetUrl?: string;
  /** Present for the embedded cloud: the Redis host:port its cache proxy forwards to. */
  cacheUpstream?: string;
  cloudPort?: number;
  /** The embedded cloud's process: its exit mid-run is a dead target. */
  cloudExited?: Promise<ChildExit>;
  journal?: Journal;
  metrics?: MetricsEndpoint;
  /** The workers, joined and waiting for the run's clock. */
  workers?: StartedWorkers;
  /** The fleet under way, asked for each worker's share once it has stopped. */
  fleet?: RunningFleet;
  header: JournalHeader;
  startedAt: number;
}

/** Runs the configured storm end to end and judges it. Throws only before anything started (bad usage, an unusable --out). */
export async function runStorm(config: RunConfig, io: RunIo): Promise<RunOutcome> {
  const phases = planScenario(config.scenario, config.durationMs);
  const world = planWorld(config);
  // Known before anything talks to the target, so whatever it echoes back is redacted wherever it lands.
  for (const user of world.users) keepSecret(user.password);
  for (const camera of world.cameras) keepSecret(camera.secret);
  // Before anything starts, so a bad schedule is one usage error with nothing left running. The embedded cloud
  // gets a cache proxy besides the client one; someone else's target only the client one.
  const faults = planFaults(phases, config.target ? ['client'] : (['client', 'cache'] satisfies ProxyPath[]));
  const expect = planExpectations(config.scenario, phases, faults.faults, world, config.durationMs);
  const startedAt = Date.now();
  const header: JournalHeader = {
    type: 'run',
    version: 1,
    startedAt,
    scenario: config.scenario.name,
    seed: config.seed,
    command: io.command,
    // The effective gates and expectations go in the journal so `stampede report` holds the run to the same ones.
    settings: { ...settingsOf(config), gates: gateSpecOf(config.gates), expect },
    world,
  };
  const observers = new RunObservers(world, startedAt, expect);
  const state: RunState = { config, io, phases, faults, world, recorder: new FanOut(), observers, header, startedAt };
  state.recorder.add('oracle', state.observers);
  await prepareOutDir(config.outDir);

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
  const lost = journalLoss(state.journal);
  const judged = state.observers.result({ ...runFacts(state, endedAt, interrupted, workers), ...(lost ? { unwritten: [lost] } : {}) });
  const reports = await writeReports(reporters, judged, { header, outDir: config.outDir });
  for (const failed of reports.failed) io.log(`warning: ${reportFailure(failed)}`);
  const unwritten = unwrittenOf(config.outDir, state.journal, reports);
  if (!result.failed || state.journal) io.out(consoleSummary(judged.summary, config.outDir, unwritten.files));
  const failure = result.failed ?? outputFailure(unwritten, judged.summary.verdict);
  return { ...judged, ...(failure ? { failure } : {}), interrupted: result.aborted };
}

function steps(config: RunConfig): Step<RunState>[] {
  const all: Step<RunState>[] = [
    {
      title: 'Toxiproxy',
      async setup(state) {
        const servers = await startToxiproxies(config.proxyShards, { url: config.toxiproxyUrl, log: state.io.log });
        state.toxiproxies = servers;
        const started = servers.filter((server) => server.started);
        if (started.length > 1) {
          state.io.log(`stampede: ${started.length} Toxiproxy servers for ${config.proxyShards} client proxy shards (pids ${started.map((server) => server.pid).join(', ')})`);
        }
        if (config.proxyListen && config.cameras + config.users > 2 * CLIENTS_PER_SHARD) {
          state.io.log(`note: --proxy-listen puts all ${config.cameras + config.users} clients through one Toxiproxy proxy, which may run out of file descriptors`);
        }
        // A run killed outright (SIGKILL, a second Ctrl-C) left its proxies, perhaps one disabled, in a Toxiproxy it did not start.
        for (const server of servers) {
          await sweepLeftovers(new ToxiproxyClient(server.url), state.io.log).catch((error: unknown) =>
            state.io.log(`warning: could not sweep what earlier runs left: ${(error as Error).message}`));
        }
        return async () => void (await Promise.all(servers.map((server) => server.stop())));
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
        const servers = state.toxiproxies!.map((server) => new ToxiproxyClient(server.url));
        let upstream: string;
        if (config.target) {
          upstream = new URL(config.target.url).host;
        } else {
          state.cloudPort = await cloudPort();
          upstream = `127.0.0.1:${state.cloudPort}`;
        }
        state.proxies = await createRunProxies(servers, {
          client: { upstream, ...(config.proxyListen ? { listen: config.proxyListen } : {}) },
          shards: config.proxyShards,
          ...(state.cacheUpstream ? { cache: { upstream: state.cacheUpstream } } : {}),
        });
        // Proxies in a Toxiproxy we started die with it; in someone else's they stay if we quit at once.
        const names = [...state.proxies.shards.map((shard) => shard.name), ...(state.proxies.cache ? [state.proxies.cache.name] : [])];
        const release = state.toxiproxies!.every((server) => server.started) ? () => undefined
          : holdLeftover(`proxies ${names.join(', ')} in Toxiproxy at ${servers.map((server) => server.url).join(', ')}`);
        return async () => {
          await state.proxies?.remove();
          release();
        };
      },
    },
    {
      title: 'the target',
      async setup(state) {
        if (config.target) {
          state.targetUrl = config.target.url;
          state.admin = adminClient(config.target.url, config.target.adminToken, { signal: state.io.signal });
          await state.admin.health();
          return;
        }
        const cache = state.proxies!.cache!;
        const cloud = await startEmbeddedCloud(state.cloudPort!, `redis://${cache.host}:${cache.port}`, config.bug);
        state.targetUrl = cloud.url;
        state.cloudExited = cloud.child.exited;
        state.admin = adminClient(cloud.url, cloud.adminToken, { signal: state.io.signal });
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
        const path = join(config.outDir, 'journal.ndjson');
        state.journal = new Journal(path, state.header, (error) =>
          state.io.log(`warning: could not write ${path}: ${error.message}; the run goes on, but it cannot pass`));
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
  // The fleet goes through the client proxy's shards: the target's own URL with each shard's address, its path prefix kept.
  const targets = state.proxies!.shards.flatMap((shard) => ['--target', viaProxy(state.targetUrl!, shard.listen)]);
  // A world file goes by its path: each worker reads it, secrets from the environment it inherits, none in argv.
  const fleetArgs = config.world ? ['--world', config.world.path] : ['--cameras', String(config.cameras), '--users', String(config.users)];
  const workerArgs = [config.scenario.name, ...targets, '--seed', String(config.seed), ...fleetArgs,
    '--duration', String(config.durationMs / 1000), ...(config.allowRemote ? ['--allow-remote'] : [])];
  const common = { recorder, world, fingerprint: fingerprintOf(config, world), log: io.log, workerArgs };
  const remote = config.remoteWorkers;
  if (remote) return awaitRemoteWorkers({ ...common, count: remote.count, host: remote.host, port: remote.port, token: remote.token, signal });
  return startLocalWorkers({ ...common, count: config.workers });
}

/** The load itself: fleets, nemesis, access changes and phase marks, until the end of the run or an abort. */
async function runLoad(state: RunState, signal: AbortSignal): Promise<void> {
  const { config, phases, world, recorder, io } = state;
  // Said once the load goes ahead: a run refused for bad usage or a dead target says that one line only.
  for (const note of state.faults.skipped) io.log(`note: ${note}`);
  // Every worker has joined: the clock starts now for all of them at once.
  const { startedAt, endsAt } = fleetTimes(phases, config.durationMs, Date.now());
  state.startedAt = startedAt;
  const proxies = Object.fromEntries(Object.entries(state.proxies!.controls).filter(([, control]) => control !== undefined));
  // A fleet whose records arrive late takes the orchestrator's too, so the oracle sees one time order.
  let ordered: Recorder = recorder;
  // A fleet that breaks (a worker died) ends the body early; its stop() then says why the run cannot be judged.
  const body = new AbortController();
  const end = (): void => body.abort();
  signal.addEventListener('abort', end, { once: true });
  // Made before the fleet starts: a schedule the nemesis refuses leaves nothing running.
  const nemesis = new Nemesis({ steps: state.faults.steps, proxies, recorder: { record: (r) => ordered.record(r) }, deadline: config.durationMs, signal: body.signal });
  const fleet = state.workers!.begin(startedAt, endsAt, signal);
  state.fleet = fleet;
  ordered = fleet.recorder ?? recorder;
  // The first phase starts with the load: what the run observed is measured from here.
  ordered.record({ type: 'phase', t: startedAt, name: phases[0]!.name });
  void fleet.broken?.then((why) => {
    io.log(`stampede: ${why}; ending the run`);
    end();
  });
  const live = liveRun(state, fleet, endsAt);
  const watchers = [...(io.watchers ?? [plainProgress(io.log)]), ...(state.metrics ? [state.metrics.watch] : [])];
  const stopWatchers = watchers.map((watch) => watch(live));
  const stopWatching = watchServices(servicesOf(state), ordered, io.log, { signal });
  try {
    await Promise.all([
      nemesis.run(startedAt),
      applyChanges(world.changes, state.admin!, ordered, startedAt, body.signal),
      markPhases(phases.slice(1), ordered, startedAt, body.signal),
      sleepUntil(endsAt, body.signal),
    ]);
  } finally {
    signal.removeEventListener('abort', end);
    // Before the teardown stops the services on purpose.
    stopWatching();
    for (const stop of stopWatchers) stop();
    await nemesis.healAll();
    await fleet.stop();
  }
}

/**
 * What the load depends on, watched while it goes: the target (a process we started by its exit, another by its
 * health), and every Toxiproxy server by its health and, when we started it, its exit: a server alive but no longer
 * answering (out of file descriptors) can apply no fault, and is as down as a dead one.
 */
function servicesOf(state: RunState): WatchedService[] {
  const { config, toxiproxies = [] } = state;
  const target: WatchedService = state.cloudExited
    ? { service: 'target', name: 'the reference cloud (stampede target)', exited: state.cloudExited }
    : { service: 'target', name: `the target at ${config.target!.url}`, probe: httpProbe(`${config.target!.url}/v1/health`) };
  const proxies = toxiproxies.map((server, i): WatchedService => ({
    service: 'toxiproxy',
    name: server.started
      ? `Toxiproxy${toxiproxies.length > 1 ? ` server ${i + 1} of ${toxiproxies.length}` : ''} (toxiproxy-server pid ${server.pid}, ${server.url})`
      : `Toxiproxy at ${server.url}`,
    probe: httpProbe(`${server.url}/version`),
    ...(server.exited ? { exited: server.exited } : {}),
  }));
  return [target, ...proxies];
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
