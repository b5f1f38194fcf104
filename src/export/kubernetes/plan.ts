/**
 * The one typed, validated description of a Kubernetes export: the run the workers and the judge share, and
 * where each of them reaches the other. Everything else in this folder reads `ExportPlan`; a bad flag is one clear
 * line before anything is written.
 */
import type { LoadedAdapter } from '../../adapter/load.ts';
import { UsageError } from '../../errors.ts';
import { isLoopbackHost } from '../../protocol/loopback.ts';
import { parseUrlFlag, refuseRemote } from '../../protocol/url-flag.ts';
import type { CloudName } from '../../run/clouds.ts';
import { adapterRef, resolveRunConfig, type AdapterRef } from '../../run/config.ts';
import { parseTargets, upstreamOf } from '../../run/endpoints.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import { worldSecretNames } from '../../world/file.ts';
import { imageFiles, type ImageFiles } from './image-files.ts';

/** Flags as the CLI parsed them. */
export interface ExportOptions {
  scenario?: string;
  out?: string;
  parallelism?: string;
  image?: string;
  /** `--target URL` or `--target NAME=URL` per adapter endpoint. */
  target?: string | readonly string[];
  collector?: string;
  collectorListen?: string;
  /** `--judge-target URL` or `--judge-target NAME=URL` per adapter endpoint. */
  judgeTarget?: string | readonly string[];
  /** `--adapter` as typed (the CLI loads it and hands the plan the loaded adapter). */
  adapter?: string;
  adapterOption?: readonly string[];
  world?: string;
  cloud?: string;
  seed?: string;
  cameras?: string;
  users?: string;
  duration?: string;
  bug?: string;
  gate?: string[];
  allowRemote?: boolean;
}

export interface ExportPlan {
  outDir: string;
  scenario: string;
  /** Fixed at export time (a fresh one when not given) so the judge and every pod build the same world. */
  seed: number;
  cameras: number;
  users: number;
  durationS: number;
  /** Pods, each simulating slice `index` of `parallelism` (camera k and user k go to worker k % parallelism). */
  parallelism: number;
  image: string;
  /** The adapter the pods and the judge talk to the backend through (spec: `reference`, or its file's absolute path). */
  adapter: AdapterRef;
  /** What the pods storm, by endpoint: the judge's Toxiproxy proxy of each, as the pods reach it. */
  workerTargets: Record<string, string>;
  /** The judge's collector, as the pods reach it. */
  collectorUrl: string;
  /** Where the judge's collector listens, HOST:PORT. */
  collectorListen: string;
  /** The real backend behind the judge's Toxiproxy, by endpoint; absent: the judge starts the embedded cloud `cloud`. */
  judgeTargets?: Record<string, string>;
  cloud: CloudName;
  bug: string;
  /** `--adapter-option` values: into the Secret and the judge's options file, never into args. */
  adapterOptions: Record<string, string>;
  /** The world file's `${NAME}` secrets, by name, as this environment has them: into the Secret, never into args. */
  worldSecrets: Record<string, string>;
  /** The adapter and world files the image carries, and the paths that name them there; absent: none. */
  files?: ImageFiles;
  /** `--gate` flags as typed: they are the judge's alone (the oracle runs there). */
  gates: string[];
  allowRemote: boolean;
}

export const DEFAULT_IMAGE = 'stampede-worker:latest';
/** The most workers one run takes (`stampede worker --count` and the judge's --expect-workers stop there too). */
const MAX_WORKERS = 10_000;

/**
 * Environment names a pod or judge.sh sets itself: a world file's `${NAME}` may not be one of them, or the Secret's
 * value would be shadowed (or shadow) one Stampede's own.
 */
const RESERVED_ENV = ['STAMPEDE_SEED', 'STAMPEDE_COLLECTOR', 'STAMPEDE_COLLECTOR_TOKEN', 'STAMPEDE_WORKER_COUNT', 'STAMPEDE_ADAPTER_OPTIONS', 'STAMPEDE_ADMIN_TOKEN', 'JOB_COMPLETION_INDEX'];

/** Turns flags into a plan, or throws a `UsageError` naming the first bad flag; `loaded` is the `--adapter` the CLI loaded. */
export function resolveExportPlan(options: ExportOptions, scenarios: ReadonlyMap<string, Scenario>, loaded?: LoadedAdapter): ExportPlan {
  if (!options.out) throw new UsageError('--out is required', 'give the folder to write the manifests into, e.g. --out k8s');
  const parallelism = wholeNumber('--parallelism', options.parallelism);
  const allowRemote = options.allowRemote ?? false;
  const adapter = adapterRef(loaded);
  const judgeTargets = options.judgeTarget === undefined ? undefined : endpointUrls('--judge-target', options.judgeTarget, adapter, 'the real backend', allowRemote);
  const bug = options.bug ?? 'none';
  if (judgeTargets && bug !== 'none') throw new UsageError('--bug only applies to the embedded cloud', 'drop --bug, or drop --judge-target');
  if (judgeTargets && options.cloud !== undefined) throw new UsageError('--cloud starts a cloud of its own in the judge; --judge-target is yours', 'drop one of them');
  // The run's own flags are checked exactly as `stampede run` checks them, so the judge cannot refuse what we wrote:
  // the world, the adapter against the embedded cloud and its bugs, the adapter options.
  const run = resolveRunConfig(
    {
      scenario: options.scenario, seed: options.seed, cameras: options.cameras, users: options.users, duration: options.duration, gate: options.gate,
      world: options.world, adapterOption: options.adapterOption ?? [], allowRemote,
      // The judge's real backend, for the adapter's own checks (a world to seed); the built-in adapter's admin token is judge.sh's to ask for.
      ...(judgeTargets ? (adapter.spec === 'reference' ? {} : { target: flagList(options.judgeTarget!) }) : { cloud: options.cloud, bug }),
    },
    scenarios,
    new Date(),
    loaded,
  );
  if (parallelism > Math.max(run.cameras, run.users)) {
    throw new UsageError(
      `--parallelism ${parallelism} is more workers than clients (${run.cameras} cameras, ${run.users} users)`,
      'some pods would simulate nothing: lower --parallelism or raise --cameras/--users',
    );
  }
  const workerTargets = endpointUrls('--target', options.target, adapter, 'the address the pods storm: the judge\'s Toxiproxy client proxy, e.g. http://stampede-judge:8080', allowRemote);
  const collectorUrl = recordsUrl(url('--collector', options.collector, 'the address the pods reach the judge\'s collector at, e.g. http://stampede-judge:7070', allowRemote));
  const collectorListen = listenAddress(options.collectorListen, new URL(collectorUrl), allowRemote);
  distinctPorts(workerTargets, collectorListen);
  const worldSecrets = run.world ? secretsOf(run.world.path) : {};
  const files = imageFiles(options.out, adapter.spec === 'reference' ? undefined : adapter.spec, run.world?.path);
  return {
    outDir: options.out,
    scenario: run.scenario.name,
    seed: run.seed,
    cameras: run.cameras,
    users: run.users,
    durationS: run.durationMs / 1000,
    parallelism,
    image: options.image ?? DEFAULT_IMAGE,
    adapter,
    workerTargets,
    collectorUrl,
    collectorListen,
    ...(judgeTargets ? { judgeTargets } : {}),
    cloud: run.cloud,
    bug,
    gates: options.gate ?? [],
    allowRemote,
    adapterOptions: run.adapterOptions,
    worldSecrets,
    ...(files ? { files } : {}),
  };
}

/** A flag given once or repeated, as a list. */
function flagList(raw: string | readonly string[]): readonly string[] {
  return typeof raw === 'string' ? [raw] : raw;
}

/** `--target`/`--judge-target` flags as a URL per adapter endpoint; an address off this machine only with --allow-remote. */
function endpointUrls(flag: string, raw: string | readonly string[] | undefined, adapter: AdapterRef, what: string, allowRemote: boolean): Record<string, string> {
  const flags = raw === undefined ? [] : flagList(raw);
  if (flags.length === 0) throw new UsageError(`${flag} is required`, `give ${what}`);
  // The run's one check for endpoint URLs; the loopback guard after it, with the cluster's hint.
  const urls = parseTargets(flags, adapter.name, adapter.endpoints, true, flag);
  for (const [name, address] of Object.entries(urls)) {
    const named = adapter.endpoints.length > 1 ? `${flag} ${name}` : flag;
    refuseRemote(named, new URL(address), allowRemote, 'add --allow-remote for a cluster\'s addresses (and own what the pods storm)');
  }
  return urls;
}

/** The judge listens for every endpoint's proxy and its collector on one interface: each needs a port of its own. */
function distinctPorts(workerTargets: Readonly<Record<string, string>>, collectorListen: string): void {
  const seen = new Map<string, string>([[collectorListen.slice(collectorListen.lastIndexOf(':') + 1), 'the collector']]);
  for (const [name, address] of Object.entries(workerTargets)) {
    const port = upstreamOf(address).split(':').pop()!;
    const other = seen.get(port);
    if (other) throw new UsageError(`--target ${name} and ${other} both use port ${port}`, 'the judge listens for each on one interface: give each its own port');
    seen.set(port, `--target ${name}`);
  }
}

/** Each `${NAME}` the world file's secrets name, with its value here: the pods get them from the Secret. */
function secretsOf(worldFile: string): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of worldSecretNames(worldFile)) {
    if (RESERVED_ENV.includes(name)) throw new UsageError(`${worldFile}: \${${name}} is a variable Stampede sets itself`, 'name the secret\'s variable otherwise');
    secrets[name] = process.env[name]!; // set and non-empty: reading the world file checked that
  }
  return secrets;
}

function wholeNumber(flag: string, raw: string | undefined): number {
  if (raw === undefined) throw new UsageError(`${flag} is required`, 'give the number of worker pods, e.g. --parallelism 3');
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_WORKERS) {
    throw new UsageError(`${flag} ${raw} is not a whole number from 1 to ${MAX_WORKERS}`, 'give the number of worker pods, e.g. --parallelism 3');
  }
  return Number(raw);
}

function url(flag: string, raw: string | undefined, what: string, allowRemote: boolean): string {
  if (raw === undefined) throw new UsageError(`${flag} is required`, `give ${what}`);
  // The one check every URL flag gets (no credentials, no whitespace), then the loopback guard.
  const parsed = parseUrlFlag(flag, raw, what);
  refuseRemote(flag, parsed, allowRemote, 'add --allow-remote for a cluster\'s addresses (and own what the pods storm)');
  return raw.replace(/\/+$/, '');
}

/** The collector takes batches at /records (src/run/fleet/collector.ts); a bare address means that path. */
function recordsUrl(collector: string): string {
  return new URL(collector).pathname === '/' ? `${collector}/records` : collector;
}

/** HOST:PORT for the judge's collector; by default every interface when the pods are elsewhere, else the collector's own address. */
function listenAddress(raw: string | undefined, collector: URL, allowRemote: boolean): string {
  const port = collector.port || (collector.protocol === 'https:' ? '443' : '80');
  const address = raw ?? (isLoopbackHost(collector.hostname) ? `${collector.hostname}:${port}` : `0.0.0.0:${port}`);
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(address);
  if (!match || Number(match[2]) > 65_535) throw new UsageError(`--collector-listen ${address} is not HOST:PORT`, 'e.g. --collector-listen 0.0.0.0:7070');
  if (!allowRemote && !isLoopbackHost(match[1]!)) {
    throw new UsageError(`--collector-listen ${address} is not on this machine`, 'add --allow-remote for a judge the pods reach over the network');
  }
  return address;
}
