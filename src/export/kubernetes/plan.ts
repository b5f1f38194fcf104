/**
 * The one typed, validated description of a Kubernetes export: the run the workers and the judge share, and
 * where each of them reaches the other. Everything else in this folder reads `ExportPlan`; a bad flag is one clear
 * line before anything is written.
 */
import { BUG_NAMES } from '../../../simulators/cloud/bugs/index.ts';
import { UsageError } from '../../errors.ts';
import { isLoopbackHost } from '../../protocol/loopback.ts';
import { parseUrlFlag, refuseRemote } from '../../protocol/url-flag.ts';
import { resolveRunConfig } from '../../run/config.ts';
import type { Scenario } from '../../scenario/scenario.ts';

/** Flags as the CLI parsed them. */
export interface ExportOptions {
  scenario?: string;
  out?: string;
  parallelism?: string;
  image?: string;
  target?: string;
  collector?: string;
  collectorListen?: string;
  judgeTarget?: string;
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
  /** What the pods storm: the judge's Toxiproxy client proxy, as the pods reach it. */
  workerTarget: string;
  /** The judge's collector, as the pods reach it. */
  collectorUrl: string;
  /** Where the judge's collector listens, HOST:PORT. */
  collectorListen: string;
  /** The real backend behind the judge's Toxiproxy; absent: the judge starts the embedded reference cloud. */
  judgeTarget?: string;
  bug: string;
  /** `--gate` flags as typed: they are the judge's alone (the oracle runs there). */
  gates: string[];
  allowRemote: boolean;
}

export const DEFAULT_IMAGE = 'stampede-worker:latest';
/** The most workers one run takes (`stampede worker --count` and the judge's --expect-workers stop there too). */
const MAX_WORKERS = 10_000;

/** Turns flags into a plan, or throws a `UsageError` naming the first bad flag. */
export function resolveExportPlan(options: ExportOptions, scenarios: ReadonlyMap<string, Scenario>): ExportPlan {
  if (!options.out) throw new UsageError('--out is required', 'give the folder to write the manifests into, e.g. --out k8s');
  const parallelism = wholeNumber('--parallelism', options.parallelism);
  // The run's own flags are checked exactly as `stampede run` checks them, so the judge cannot refuse what we wrote.
  const run = resolveRunConfig(
    { scenario: options.scenario, seed: options.seed, cameras: options.cameras, users: options.users, duration: options.duration, gate: options.gate },
    scenarios,
    new Date(),
  );
  const bug = options.bug ?? 'none';
  if (!BUG_NAMES.includes(bug as never)) throw new UsageError(`unknown --bug ${bug}`, `pick one of ${BUG_NAMES.join(', ')}`);
  if (options.judgeTarget !== undefined && bug !== 'none') {
    throw new UsageError('--bug only applies to the embedded reference cloud', 'drop --bug, or drop --judge-target');
  }
  if (parallelism > Math.max(run.cameras, run.users)) {
    throw new UsageError(
      `--parallelism ${parallelism} is more workers than clients (${run.cameras} cameras, ${run.users} users)`,
      'some pods would simulate nothing: lower --parallelism or raise --cameras/--users',
    );
  }
  const allowRemote = options.allowRemote ?? false;
  const workerTarget = url('--target', options.target, 'the address the pods storm: the judge\'s Toxiproxy client proxy, e.g. http://stampede-judge:8080', allowRemote);
  const collectorUrl = recordsUrl(url('--collector', options.collector, 'the address the pods reach the judge\'s collector at, e.g. http://stampede-judge:7070', allowRemote));
  const judgeTarget = options.judgeTarget === undefined ? undefined : url('--judge-target', options.judgeTarget, 'the real backend', allowRemote);
  const collectorListen = listenAddress(options.collectorListen, new URL(collectorUrl), allowRemote);
  return {
    outDir: options.out,
    scenario: run.scenario.name,
    seed: run.seed,
    cameras: run.cameras,
    users: run.users,
    durationS: run.durationMs / 1000,
    parallelism,
    image: options.image ?? DEFAULT_IMAGE,
    workerTarget,
    collectorUrl,
    collectorListen,
    ...(judgeTarget ? { judgeTarget } : {}),
    bug,
    gates: options.gate ?? [],
    allowRemote,
  };
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
