/**
 * `stampede run`: the whole lifecycle of a storm, step by step, in one place (as Jepsen's `run!` does).
 *
 *  1. plan: the scenario's phases for this duration, the world from the seed, the fault schedule (validated) and
 *     what the run must observe to have tested anything (written to the journal header);
 *  2. Toxiproxy: the provisioned server, one per client proxy shard, or the one --toxiproxy names;
 *  3. the adapter (`--adapter`, the built-in reference one by default); the target: an embedded cloud with its
 *     Redis behind a cache proxy, or the --target endpoints given; a client proxy in front of each endpoint (in
 *     shards, each fleet client through one); its health and the world seeded through the adapter's world hooks (an
 *     embedded cloud's own when it has none);
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
import { loadAdapter } from '../adapter/load.ts';
import type { Adapter, AdapterContext, WorldHooks } from '../adapter/types.ts';
import { seedViewOf } from '../adapter/world-view.ts';
import { createEndpointProxies, type EndpointProxies } from '../chaos/endpoint-proxies.ts';
import { Nemesis, type ProxyPath } from '../chaos/nemesis.ts';
import { ToxiproxyClient } from '../chaos/toxiproxy.ts';
import { OutOfOrderError, StampedeError, UnavailableError } from '../errors.ts';
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
import type { World } from '../world/types.ts';
import { applyChanges } from './changes.ts';
import { CLIENTS_PER_TOXIPROXY, type RunConfig } from './config.ts';
import type { RunningFleet } from './fleet/fleet.ts';
import { startLocalWorkers, type StartedWorkers } from './fleet/local-workers.ts';
import { awaitRemoteWorkers } from './fleet/remote-workers.ts';
import { cloudKind, cloudPorts, endpointsForAdapter, shardUpstreams, type CloudPorts, type StartedCloud } from './clouds.ts';
import { embeddedRedis } from './embedded.ts';
import { targetFlags, upstreamOf } from './endpoints.ts';
import { ADAPTER_OPTIONS_ENV } from './adapter-options.ts';
import { hookApplier, worldControlNotes } from './world-control.ts';
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
import { fingerprintOf, fleetTimes, generatedWorld, planWorld } from './plan.ts';
import { planScenario, type Phase } from '../scenario/scenario.ts';
import { httpProbe, watchServices, type WatchedService } from './service-watch.ts';
import { describeTarget } from './describe-target.ts';
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
  /** What the run leaves out for want of world hooks, one sentence each. */
  notes: string[];
  recorder: FanOut;
  observers: RunObservers;
  /** The run's Toxiproxy servers: the first holds the cache proxy, shard i of each client proxy is on server i % count. */
  toxiproxies?: ToxiproxyServer[];
  adapter?: Adapter;
  /** The backend's real endpoints by name: world hooks use them, never the proxies. */
  endpoints?: Record<string, string>;
  /** Each client proxy shard as the endpoints through it: what the fleet is given, camera k and user k through shard k % length. */
  proxied?: Record<string, string>[];
  proxies?: EndpointProxies;
  /** Present for an embedded cloud: the Redis host:port its cache proxy forwards to. */
  cacheUpstream?: string;
  /** Present for an embedded cloud: the ports it was given. */
  cloudPorts?: CloudPorts;
  /** The embedded cloud, once started: its exit mid-run is a dead target. */
  cloud?: StartedCloud;
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
  // Said once, plainly, wherever the run is described: what it cannot test on a backend it may not rewrite.
  const { worldHooks } = config.adapter;
  const allKinds = ['transfer', 'share', 'revoke'].every((kind) => worldHooks.includes(kind as never));
  const notes = allKinds ? [] : worldControlNotes(config.adapter.name, worldHooks, generatedWorld(config).changes);
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
    settings: { ...settingsOf(config, notes), gates: gateSpecOf(config.gates), expect },
    world,
  };
  const observers = new RunObservers(world, startedAt, expect);
  const state: RunState = { config, io, phases, faults, world, notes, recorder: new FanOut(), observers, header, startedAt };
  state.recorder.add('oracle', state.observers);
  await prepareOutDir(config.outDir);

  const result = await runLifecycle(state, steps(config), io.signal, runLoad);
  const endedAt = Date.now();
  const interrupted = result.aborted ? 'stopped by Ctrl-C' : result.failed ? `${result.failed.title} failed` : undefined;
  const unjudged = result.failed?.error instanceof OutOfOrderError ? result.failed.error.message : undefined;
  // The end mark tells `stampede report` this journal is whole (a killed run has none) and how the run ended.
  const workers = state.fleet?.workers?.();
  state.journal?.record({
    type: 'end', t: endedAt, startedAt: state.startedAt, ...(interrupted ? { interrupted } : {}), ...(unjudged ? { unjudged } : {}), ...(workers ? { workers } : {}),
  });
  await state.journal?.close();
  for (const { title, error } of result.teardownErrors) io.log(`warning: ${title}: teardown failed: ${(error as Error).message}`);
  for (const { name, error } of state.recorder.failures) io.log(`warning: the ${name} stopped recording: ${(error as Error).message}`);
  const lost = journalLoss(state.journal);
  const judged = state.observers.result({ ...runFacts(state, endedAt, interrupted, workers), ...(unjudged ? { unjudged } : {}), ...(lost ? { unwritten: [lost] } : {}) });
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
        const servers = await startToxiproxies(config.toxiproxyServers, { url: config.toxiproxyUrl, log: state.io.log });
        state.toxiproxies = servers;
        const started = servers.filter((server) => server.started);
        if (started.length > 1) {
          state.io.log(`stampede: ${started.length} Toxiproxy servers for ${config.proxyShards} client proxy shards (pids ${started.map((server) => server.pid).join(', ')})`);
        }
        if (config.proxyListen && config.cameras + config.users > CLIENTS_PER_TOXIPROXY) {
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
  all.push({
    title: 'the adapter',
    async setup(state) {
      state.adapter = (await loadAdapter(config.adapter.spec)).adapter;
    },
  });
  if (!config.target) {
    all.push({
      title: `Redis for the ${config.cloud} cloud`,
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
        let perShard: Record<string, string[]> = {};
        if (config.target) {
          state.endpoints = config.target.endpoints;
        } else {
          const kind = cloudKind(config.cloud);
          state.cloudPorts = await cloudPorts(kind, config.proxyShards);
          state.endpoints = endpointsForAdapter(kind.urls(state.cloudPorts.ports), config.adapter.endpoints)!;
          perShard = shardUpstreams(kind, state.cloudPorts);
        }
        const listen = config.proxyListen;
        state.proxies = await createEndpointProxies(servers, {
          endpoints: Object.fromEntries(Object.entries(state.endpoints).map(([name, url]) =>
            [name, { upstream: upstreamOf(url), shardUpstreams: perShard[upstreamOf(url)], ...(listen?.[name] ? { listen: listen[name] } : {}) }])),
          shards: config.proxyShards,
          ...(state.cacheUpstream ? { cache: { upstream: state.cacheUpstream } } : {}),
        });
        // The fleet goes through the proxies: each endpoint's own URL with its proxy's address, its path prefix kept.
        const shards = Object.values(state.proxies.endpoints)[0]!.length;
        state.proxied = Array.from({ length: shards }, (_, shard) =>
          Object.fromEntries(Object.entries(state.endpoints!).map(([name, url]) => [name, viaProxy(url, state.proxies!.endpoints[name]![shard]!.listen)])));
        // Proxies in a Toxiproxy we started die with it; in someone else's they stay if we quit at once.
        const release = state.toxiproxies!.every((server) => server.started) ? () => undefined
          : holdLeftover(`proxies ${state.proxies.names.join(', ')} in Toxiproxy at ${servers.map((server) => server.url).join(', ')}`);
        return async () => {
          await state.proxies?.remove();
          release();
        };
      },
    },
    {
      title: 'the target',
      async setup(state) {
        if (!config.target) {
          const cache = state.proxies!.cache!;
          state.cloud = await cloudKind(config.cloud).start({
            urls: state.endpoints!, ports: state.cloudPorts!.ports, shardPorts: state.cloudPorts!.shardPorts, redisUrl: `redis://${cache.host}:${cache.port}`, bug: config.bug,
          });
          for (const secret of Object.values(state.cloud.options)) keepSecret(secret);
        }
        const stop = state.cloud ? async () => void (await state.cloud?.stop()) : undefined;
        const health = worldHook(state, 'health');
        if (health) await worldCall(state, 'checking the target\'s health', () => health(worldContext(state)));
        return stop;
      },
    },
    {
      title: 'seeding the world',
      async setup(state) {
        const seed = worldHook(state, 'seed');
        // Config refused a run with neither (WORLD: or the world came from --world and exists already).
        if (seed) await worldCall(state, 'seeding the world', () => seed(worldContext(state), seedViewOf(state.world)));
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

/**
 * A world hook of the adapter, or of the embedded cloud when the adapter has none (seed and health only: an
 * ownership change the adapter cannot make is never planned, see world-control.ts).
 */
function worldHook<K extends 'health' | 'seed'>(state: RunState, hook: K): WorldHooks[K] | undefined {
  return state.adapter!.world?.[hook] ?? state.cloud?.world[hook];
}

/** What world hooks get: the real endpoints, the run's Ctrl-C, and the adapter's options with the admin token. */
function worldContext(state: RunState): AdapterContext {
  const { config } = state;
  return {
    endpoints: state.endpoints!,
    signal: state.io.signal,
    timeoutMs: WORLD_CALL_MS,
    options: { ...config.adapterOptions, ...(config.target?.adminToken ? { adminToken: config.target.adminToken } : {}), ...state.cloud?.options },
  };
}

/** How long one world hook may take (an admin call, a seed of a large world). */
const WORLD_CALL_MS = 30_000;

/** A world hook before the load: a failure is the target's (exit 3), named with the adapter, unless it is bad usage. */
async function worldCall(state: RunState, what: string, call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof StampedeError || state.io.signal.aborted) throw error;
    throw new UnavailableError(`${what} through adapter ${state.config.adapter.name} failed: ${(error as Error).message}`, 'check the target and the adapter\'s options');
  }
}

/** Names the run to an adapter's seed hook (a backend may tag what it creates with it). */
function runIdOf(state: RunState): string {
  return `stampede-${state.config.seed}-${state.header.startedAt}`;
}

/** The run's workers: started here (`--workers N`), or joined from elsewhere (`--workers 0`). */
function startWorkers(state: RunState, signal: AbortSignal): Promise<StartedWorkers> {
  const { config, world, recorder, io } = state;
  // Each shard's endpoints in turn, in the adapter's order: the worker reads them back in groups.
  const targets = state.proxied!.flatMap((shard) => targetFlags(config.adapter, shard));
  const adapterArgs = config.adapter.spec === 'reference' ? [] : ['--adapter', config.adapter.spec];
  // Option values reach workers through their environment only: argv shows in every process list.
  const env: Record<string, string> = Object.keys(config.adapterOptions).length > 0 ? { [ADAPTER_OPTIONS_ENV]: JSON.stringify(config.adapterOptions) } : {};
  // A world file goes by its path: each worker reads it, secrets from the environment it inherits, none in argv.
  const fleetArgs = config.world ? ['--world', config.world.path] : ['--cameras', String(config.cameras), '--users', String(config.users)];
  const workerArgs = [config.scenario.name, ...adapterArgs, ...targets, '--seed', String(config.seed), ...fleetArgs,
    '--duration', String(config.durationMs / 1000), ...(config.allowRemote ? ['--allow-remote'] : [])];
  const common = { recorder, world, fingerprint: fingerprintOf(config, world), log: io.log, workerArgs };
  const remote = config.remoteWorkers;
  if (remote) {
    const adapterOptionKeys = Object.keys(config.adapterOptions);
    return awaitRemoteWorkers({ ...common, adapterOptionKeys, count: remote.count, host: remote.host, port: remote.port, token: remote.token, signal });
  }
  return startLocalWorkers({ ...common, count: config.workers, env });
}

/** The load itself: fleets, nemesis, access changes and phase marks, until the end of the run or an abort. */
async function runLoad(state: RunState, signal: AbortSignal): Promise<void> {
  const { config, phases, world, recorder, io } = state;
  // Said once the load goes ahead: a run refused for bad usage or a dead target says that one line only.
  for (const note of [...state.notes, ...state.faults.skipped]) io.log(`note: ${note}`);
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
      applyChanges(world.changes, hookApplier(state.adapter!.world ?? {}, worldContext(state)), ordered, startedAt, body.signal),
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
  const health = state.adapter!.world?.health;
  const target: WatchedService | undefined = state.cloud
    ? { service: 'target', name: state.cloud.title, exited: state.cloud.exited }
    : health && { service: 'target', name: `the target at ${describeTarget(config)}`, probe: (timeoutMs) => health({ ...worldContext(state), timeoutMs }) };
  const proxies = toxiproxies.map((server, i): WatchedService => ({
    service: 'toxiproxy',
    name: server.started
      ? `Toxiproxy${toxiproxies.length > 1 ? ` server ${i + 1} of ${toxiproxies.length}` : ''} (toxiproxy-server pid ${server.pid}, ${server.url})`
      : `Toxiproxy at ${server.url}`,
    probe: httpProbe(`${server.url}/version`),
    ...(server.exited ? { exited: server.exited } : {}),
  }));
  // A backend whose adapter has no health hook is not watched: its failures show in what the fleet records.
  return target ? [target, ...proxies] : proxies;
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
function settingsOf(config: RunConfig, notes: readonly string[]): RunSettings & Record<string, unknown> {
  return {
    // 'embedded' alone is the reference cloud (as journals have always said); another embedded cloud is named.
    target: config.target ? describeTarget(config) : config.cloud === 'reference' ? 'embedded' : `embedded ${config.cloud}`,
    adapter: config.adapter.name,
    ...(notes.length > 0 ? { notes: [...notes] } : {}),
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
    ...settingsOf(config, state.notes),
    gates: config.gates,
    ...(workers ? { workers } : {}),
    startedAt: state.startedAt,
    endedAt,
    ...(interrupted ? { interrupted } : {}),
  };
}
