/**
 * The one typed, validated configuration of `stampede run`. The CLI layer only turns flags into `RunOptions`;
 * everything else reads `RunConfig`, so a wrong flag is one clear line before anything starts.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { GateError, resolveGates, type Gate, type GateSpec } from '../oracle/gates.ts';
import { requireFetchablePort } from '../protocol/fetch-failure.ts';
import { isLoopbackHost } from '../protocol/loopback.ts';
import { parseUrlFlag, refuseRemote } from '../protocol/url-flag.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { resolveWorldFlag, type WorldFile } from './world-flag.ts';
import { worldHooksOf, type LoadedAdapter, type WorldHookName } from '../adapter/load.ts';
import { cloudKind, endpointsForAdapter, type CloudName } from './clouds.ts';
import { byEndpoint, parseTargets } from './endpoints.ts';
import { needsPlainHttp } from '../adapter/call.ts';

/** Flags as the CLI parsed them (strings where the user typed strings). */
export interface RunOptions {
  scenario?: string;
  /** `--target URL` (the adapter's first endpoint) or `--target NAME=URL`, repeatable. */
  target?: string | readonly string[];
  adminToken?: string;
  /** `--adapter FILE|reference` as typed (the CLI loads it and hands `resolveRunConfig` the loaded adapter). */
  adapter?: string;
  /** `--adapter-option KEY=VALUE`, repeatable. */
  adapterOption?: readonly string[];
  /** `--cloud NAME`: the embedded cloud to start when there is no --target. */
  cloud?: string;
  allowRemote?: boolean;
  toxiproxy?: string;
  out?: string;
  seed?: string;
  cameras?: string;
  users?: string;
  /** `--world FILE`: pre-provisioned users and cameras instead of generated ones. */
  world?: string;
  duration?: string;
  bug?: string;
  /** `--gate` flags, e.g. `reconnect.p95<10s`, laid over the scenario's gates. */
  gate?: string[];
  quiet?: boolean;
  metricsPort?: string;
  /** Worker processes to start here; 0: judge workers started elsewhere. */
  workers?: string;
  /** `--workers 0`: where the collector listens, HOST:PORT. */
  collectorListen?: string;
  /**
   * Where the client proxy listens (default: free loopback ports): fixed addresses for workers elsewhere. `HOST:PORT`
   * (the adapter's first endpoint) or `NAME=HOST:PORT`, repeatable; an adapter with several endpoints needs one each.
   */
  proxyListen?: string | readonly string[];
  /** How many shards the client proxy has (default: one per CLIENTS_PER_SHARD clients). */
  proxyShards?: string;
  /** `--workers 0`: how many workers will join. */
  expectWorkers?: string;
  /** `--workers 0`: the collector token, from STAMPEDE_COLLECTOR_TOKEN (never a flag). */
  collectorToken?: string;
}

/** What the run needs to know of its adapter before anything starts. */
export interface AdapterRef {
  /** `reference`, or the adapter file's absolute path (what workers are given). */
  spec: string;
  name: string;
  endpoints: readonly string[];
  /** The world hooks it has: a change kind it lacks is never scheduled. */
  worldHooks: readonly WorldHookName[];
}

export interface RunConfig {
  scenario: Scenario;
  adapter: AdapterRef;
  /** Absent: start the embedded cloud `cloud` (and its Redis) behind Toxiproxy. */
  target?: { endpoints: Record<string, string>; adminToken?: string };
  cloud: CloudName;
  /** `--adapter-option` values, handed to every hook's context (workers get them through the environment). */
  adapterOptions: Record<string, string>;
  allowRemote: boolean;
  /** An existing Toxiproxy server's API; absent: start the provisioned one. */
  toxiproxyUrl?: string;
  outDir: string;
  seed: number;
  cameras: number;
  users: number;
  /** `--world FILE`: the accounts it lists (cameras and users above are its counts). Absent: a generated world. */
  world?: WorldFile;
  durationMs: number;
  /** The embedded cloud's leak-zoo fault; `none` for a correct cloud. */
  bug: string;
  /** What the run is held to besides zero leaks: the scenario's gates with --gate overrides. */
  gates: Gate[];
  /** No progress display or lines; warnings, errors and the summary still print. */
  quiet: boolean;
  /** Serve Prometheus metrics on 127.0.0.1 at this port while the run lasts (0: any free port). */
  metricsPort?: number;
  /** Worker processes this run starts, each driving one slice of the fleet; 0 when they run elsewhere. */
  workers: number;
  /** Where each endpoint's client proxy listens, by endpoint name, when not on free loopback ports (`--proxy-listen`); each then has one shard. */
  proxyListen?: Record<string, { host: string; port: number }>;
  /**
   * How many shards the client proxy has: camera k and user k go through shard k % proxyShards, shard i in Toxiproxy
   * server i % toxiproxyServers unless the run uses one it did not start (`--toxiproxy`).
   */
  proxyShards: number;
  /** How many Toxiproxy servers the run starts for them (one a shard given `--proxy-shards`, else one per CLIENTS_PER_TOXIPROXY clients). */
  toxiproxyServers: number;
  /** `--workers 0`: the workers started elsewhere, and where their collector listens. */
  remoteWorkers?: { count: number; host: string; port: number; token: string };
}

/**
 * A flag's text, trimmed; an empty one is refused here, since coercing '' gives 0 and `--seed ''` would
 * silently mean seed 0. Only plain decimal numbers pass: '0x10' or '1e3' are typos more often than intent.
 */
const numberText = (flag: string, shape: RegExp, what: string) =>
  z
    .string()
    .trim()
    .refine((text) => text !== '', `${flag} needs a value (got an empty string)`)
    .refine((text) => text === '' || shape.test(text), { error: (issue) => `${flag} must be ${what} (got ${JSON.stringify(issue.input)})` })
    .transform(Number);

const whole = (flag: string, min: number, max: number) =>
  numberText(flag, /^[+-]?\d+$/, 'a whole number').pipe(
    z.number().min(min, `${flag} must be at least ${min}`).max(max, `${flag} must be at most ${max}`),
  );

const Flags = z.object({
  seed: whole('--seed', 0, 2 ** 31 - 1).optional(),
  cameras: whole('--cameras', 1, 100_000).optional(),
  users: whole('--users', 1, 100_000).optional(),
  metricsPort: whole('--metrics-port', 0, 65_535).optional(),
  workers: whole('--workers', 0, 1024).optional(),
  expectWorkers: whole('--expect-workers', 1, 10_000).optional(),
  proxyShards: whole('--proxy-shards', 1, 64).optional(),
  duration: numberText('--duration', /^\d+(\.\d+)?$/, 'a number of seconds')
    .pipe(z.number().min(10, '--duration must be at least 10 seconds').max(7 * 24 * 3600, '--duration must be at most a week'))
    .optional(),
});

/** Turns flags into a config; `scenarios` maps names to scenarios, `now` names the default output folder. */
export function resolveRunConfig(options: RunOptions, scenarios: ReadonlyMap<string, Scenario>, now: Date, loaded?: LoadedAdapter): RunConfig {
  const name = options.scenario ?? 'storm';
  const scenario = scenarios.get(name);
  if (!scenario) throw new UsageError(`unknown scenario ${name}`, `pick one of ${[...scenarios.keys()].join(', ')}`);
  const parsed = Flags.safeParse(options);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
  const flags = parsed.data;
  const adapter = adapterRef(loaded);
  if (scenario.traffic.refresh && loaded && !loaded.adapter.users.http) throw needsPlainHttp(adapter.name, scenario.name);
  if (options.target?.length && options.bug !== undefined && options.bug !== 'none') {
    throw new UsageError('--bug only applies to the embedded reference cloud', 'drop --bug, or drop --target to storm the embedded cloud');
  }
  const target = resolveTarget(options, adapter);
  if (target && options.cloud !== undefined) throw new UsageError('--cloud starts a cloud of its own; --target storms yours', 'drop one of them');
  const cloud = options.cloud ?? 'reference';
  const kind = cloudKind(cloud);
  if (!target) {
    if (!endpointsForAdapter(Object.fromEntries(kind.endpoints.map((name) => [name, ''])), adapter.endpoints)) {
      throw new UsageError(`adapter ${adapter.name} talks to ${adapter.endpoints.join(', ')}, but --cloud ${cloud} serves ${kind.endpoints.join(', ')}`,
        `use --adapter ${kind.adapter}, or --target NAME=URL for your own backend`);
    }
    if (!kind.bugs.includes(options.bug ?? 'none')) throw new UsageError(`unknown --bug ${options.bug}`, `pick one of ${kind.bugs.join(', ')}`);
  } else if (!adapter.worldHooks.includes('seed') && options.world === undefined) {
    throw new UsageError(`adapter ${adapter.name} cannot seed the world (it has no world.seed)`, 'give the accounts that exist on the backend with --world FILE');
  }
  if (options.toxiproxy !== undefined) {
    // The run creates proxies there and sends it the target's address: it gets the loopback guard too.
    const url = parseUrlFlag('--toxiproxy', options.toxiproxy, 'http://127.0.0.1:8474');
    refuseRemote('--toxiproxy', url, options.allowRemote ?? false, 'Stampede only talks to 127.0.0.1 or ::1 unless you add --allow-remote');
  }
  if (options.toxiproxy !== undefined) requireFetchablePort(options.toxiproxy, '--toxiproxy');
  const world = resolveWorldFlag(options);
  const stamp = now.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  return {
    scenario,
    adapter,
    ...(target ? { target } : {}),
    cloud: cloud as CloudName,
    adapterOptions: adapterOptions(options.adapterOption ?? []),
    allowRemote: options.allowRemote ?? false,
    ...(options.toxiproxy ? { toxiproxyUrl: options.toxiproxy } : {}),
    outDir: options.out ?? `reports/${stamp}-${scenario.name}`,
    seed: flags.seed ?? randomSeed(),
    cameras: world?.accounts.cameras.length ?? flags.cameras ?? scenario.defaults.cameras,
    users: world?.accounts.users.length ?? flags.users ?? scenario.defaults.users,
    ...(world ? { world } : {}),
    durationMs: Math.round((flags.duration ?? scenario.defaults.durationS) * 1000),
    bug: options.bug ?? 'none',
    gates: resolveRunGates(scenario.gates ?? {}, options.gate ?? []),
    quiet: options.quiet ?? false,
    ...(flags.metricsPort !== undefined ? { metricsPort: flags.metricsPort } : {}),
    ...resolveWorkers(options, flags.workers, flags.expectWorkers),
    ...(options.proxyListen !== undefined ? { proxyListen: resolveProxyListen(options, adapter) } : {}),
    ...resolveShards(options.proxyListen !== undefined, flags.proxyShards, flags.cameras ?? scenario.defaults.cameras, flags.users ?? scenario.defaults.users),
  };
}

/**
 * Clients per client proxy shard. The embedded cloud serves each shard on a port of its own, and Node accepts one
 * connection per listening port per turn of its event loop: at 10,000 clients, 8 shards brought the fleet back
 * after an outage at 924 and 1,330 hellos a second where 4 managed 584 and 740 (two runs each, side by side).
 */
export const CLIENTS_PER_SHARD = 1_400;

/**
 * Clients per Toxiproxy server. It holds two file descriptors per proxied connection and a process may hold 20,000
 * here; a camera is one connection, a user a push stream and at most one keep-alive HTTP one in use. In the storm
 * bench at 10,001 clients the busiest server peaked at 2.7 descriptors a client (13,700 at 5,000 clients a server),
 * so 5,500 stay near 15,000: clear of the limit. Fewer servers cost less CPU (each one's Go runtime, collector and
 * scheduler run on their own): with 2 servers instead of 4, Toxiproxy spent 36.0-38.6 CPU s against 39.7-41.7 in
 * three alternating runs each.
 */
export const CLIENTS_PER_TOXIPROXY = 5_500;

/**
 * `--proxy-shards N`, each in a Toxiproxy server of its own; or one shard per CLIENTS_PER_SHARD clients over one
 * server per CLIENTS_PER_TOXIPROXY clients (never more servers than shards). A fixed `--proxy-listen` address is
 * one shard.
 */
function resolveShards(fixedListen: boolean, shards: number | undefined, cameras: number, users: number): Pick<RunConfig, 'proxyShards' | 'toxiproxyServers'> {
  if (fixedListen) {
    if (shards !== undefined && shards !== 1) throw new UsageError('--proxy-listen fixes the address of a client proxy of one shard', 'drop --proxy-shards, or drop --proxy-listen');
    return { proxyShards: 1, toxiproxyServers: 1 };
  }
  if (shards !== undefined) return { proxyShards: shards, toxiproxyServers: shards };
  const clients = cameras + users;
  const proxyShards = Math.max(1, Math.ceil(clients / CLIENTS_PER_SHARD));
  return { proxyShards, toxiproxyServers: Math.min(proxyShards, Math.ceil(clients / CLIENTS_PER_TOXIPROXY)) };
}

/**
 * Worker processes when `--workers` is not given: one per core but one, and at least one. The core left over is
 * for the target, Toxiproxy and the judge: Linux shares the CPU per process, so a worker on every core of a
 * 2-core machine outweighed the embedded cloud, which then accepted too slowly, and 10,000 clients collapsed (two
 * runs: 944 and 1,572 cameras never back); with one worker, the same storm passed twice (reconnect p95 6.2 and
 * 7.0 s, delivery p99 5.3 and 4.5 s).
 */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** `--workers N` (default: `defaultWorkers()`), or `--workers 0` with where and how many workers started elsewhere join. */
function resolveWorkers(options: RunOptions, workers: number | undefined, expected: number | undefined): Pick<RunConfig, 'workers' | 'remoteWorkers'> {
  const count = workers ?? defaultWorkers();
  if (count > 0) {
    if (options.collectorListen !== undefined || expected !== undefined) {
      throw new UsageError('--collector-listen and --expect-workers go with --workers 0', 'add --workers 0 to judge workers started elsewhere, or drop them');
    }
    return { workers: count };
  }
  if (options.collectorListen === undefined || expected === undefined) {
    throw new UsageError('--workers 0 needs --collector-listen HOST:PORT and --expect-workers N', 'say where the workers started elsewhere send their records, and how many there are');
  }
  const { host, port } = listenAddress('--collector-listen', options.collectorListen, options.allowRemote, 'take records from workers on other machines');
  if (!options.collectorToken) {
    throw new UsageError('--workers 0 needs the collector token in STAMPEDE_COLLECTOR_TOKEN', 'set it to the token the workers were given (never a flag)');
  }
  return { workers: 0, remoteWorkers: { count: expected, host, port, token: options.collectorToken } };
}

/**
 * `--proxy-listen`: each endpoint's client proxy at a fixed address. Workers elsewhere reach every endpoint through
 * its proxy, so an adapter with several endpoints gets one address each (`NAME=HOST:PORT`), never some fixed and
 * others on loopback ports they cannot reach.
 */
function resolveProxyListen(options: RunOptions, adapter: AdapterRef): Record<string, { host: string; port: number }> {
  const flags = typeof options.proxyListen === 'string' ? [options.proxyListen] : options.proxyListen ?? [];
  const { values: listen, missing } = byEndpoint(flags, '--proxy-listen', adapter.name, adapter.endpoints, (raw) =>
    listenAddress('--proxy-listen', raw, options.allowRemote, 'let workers on other machines storm through it'));
  if (missing.length > 0) {
    throw new UsageError(`--proxy-listen: adapter ${adapter.name} needs an address for ${missing.join(', ')} too`,
      `give --proxy-listen NAME=HOST:PORT for each of ${adapter.endpoints.join(', ')}, so workers elsewhere reach every endpoint`);
  }
  return listen;
}

/** A HOST:PORT the run listens on; a host other machines can reach needs --allow-remote. */
function listenAddress(flag: string, value: string, allowRemote: boolean | undefined, why: string): { host: string; port: number } {
  const listen = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = Number(listen?.[3]);
  if (!listen || port > 65_535) throw new UsageError(`${flag} ${value} is not HOST:PORT`, 'e.g. 127.0.0.1:9000, or 0.0.0.0:9000 with --allow-remote');
  const host = (listen[1] ?? listen[2])!;
  if (!allowRemote && !isLoopbackHost(host)) throw new UsageError(`${flag} ${host} is not on this machine`, `add --allow-remote to ${why}`);
  return { host, port };
}

function resolveTarget(options: RunOptions, adapter: AdapterRef): RunConfig['target'] {
  const flags = typeof options.target === 'string' ? [options.target] : options.target ?? [];
  if (flags.length === 0) {
    if (options.adminToken !== undefined) throw new UsageError('--admin-token goes with --target', 'add --target URL, or drop --admin-token');
    return undefined;
  }
  const endpoints = parseTargets(flags, adapter.name, adapter.endpoints, options.allowRemote ?? false);
  // The CLI layer already fills this from STAMPEDE_ADMIN_TOKEN; the config only reads what it is given.
  const adminToken = options.adminToken;
  // The reference protocol's world control is its admin API; another adapter says what it needs in its options.
  if (!adminToken && adapter.spec === 'reference') throw new UsageError('--target needs --admin-token', 'pass --admin-token T or set STAMPEDE_ADMIN_TOKEN');
  return { endpoints, ...(adminToken ? { adminToken } : {}) };
}

/** The built-in adapter, as the run sees it when the CLI loaded none (tests, `--adapter reference`). */
const REFERENCE: AdapterRef = { spec: 'reference', name: 'reference', endpoints: ['target'], worldHooks: ['health', 'seed', 'transfer', 'share', 'revoke'] };

export function adapterRef(loaded: LoadedAdapter | undefined): AdapterRef {
  if (!loaded) return REFERENCE;
  const { adapter } = loaded;
  return { spec: loaded.spec, name: adapter.name, endpoints: [...adapter.endpoints], worldHooks: worldHooksOf(adapter) };
}

/** `--adapter-option KEY=VALUE` flags as a map; a value may hold '=' (tokens often do). */
export function adapterOptions(flags: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const flag of flags) {
    const match = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s.exec(flag);
    if (!match) throw new UsageError(`--adapter-option ${flag.split('=')[0]} is not KEY=VALUE`, 'e.g. --adapter-option apiKey=...');
    options[match[1]!] = match[2]!;
  }
  return options;
}

/** A fresh seed for runs that name none; it is printed and written to the summary so the run can be repeated. */
function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/** The scenario's gates with the --gate flags over them; a gate that does not parse is bad usage. */
export function resolveRunGates(scenario: GateSpec, flags: readonly string[]): Gate[] {
  try {
    return resolveGates(scenario, flags);
  } catch (error) {
    if (error instanceof GateError) throw new UsageError(error.message, error.hint);
    throw error;
  }
}
