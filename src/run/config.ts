/**
 * The one typed, validated configuration of `stampede run`. The CLI layer only turns flags into `RunOptions`;
 * everything else reads `RunConfig`, so a wrong flag is one clear line before anything starts.
 */
import { z } from 'zod';
import { UsageError } from '../cli/exit.ts';
import { GateError, resolveGates, type Gate, type GateSpec } from '../oracle/gates.ts';
import { isLoopbackHost } from '../protocol/loopback.ts';
import { parseUrlFlag, refuseRemote } from '../protocol/url-flag.ts';
import type { EngineName, RemoteFleet } from './engine.ts';
import type { Scenario } from './scenario.ts';

/** Flags as the CLI parsed them (strings where the user typed strings). */
export interface RunOptions {
  scenario?: string;
  target?: string;
  adminToken?: string;
  allowRemote?: boolean;
  toxiproxy?: string;
  out?: string;
  seed?: string;
  cameras?: string;
  users?: string;
  duration?: string;
  bug?: string;
  engine?: string;
  k6Instances?: string;
  /** With `--k6-instances 0`: the folder `stampede k6 export` wrote, whose pods this run judges. */
  k6Export?: string;
  /** With `--k6-instances 0`: host:port the collector listens on for those pods. */
  collectorListen?: string;
  /** `--gate` flags, e.g. `reconnect.p95<10s`, laid over the scenario's gates. */
  gate?: string[];
  quiet?: boolean;
  metricsPort?: string;
}

export interface RunConfig {
  scenario: Scenario;
  /** Absent: start the embedded reference cloud (and its Redis) behind Toxiproxy. */
  target?: { url: string; adminToken: string };
  allowRemote: boolean;
  /** An existing Toxiproxy server's API; absent: start the provisioned one. */
  toxiproxyUrl?: string;
  outDir: string;
  seed: number;
  cameras: number;
  users: number;
  durationMs: number;
  /** The embedded cloud's leak-zoo fault; `none` for a correct cloud. */
  bug: string;
  /** Who drives the fleet: this Node process, or k6. */
  engine: EngineName;
  /** k6 processes splitting the fleet by execution segment (--k6-instances); 1 for the Node engine. */
  k6Instances: number;
  /** `--k6-instances 0`: no local k6; the central judge of an exported run's pods, started elsewhere. */
  remoteFleet?: RemoteFleet;
  /** What the run is held to besides zero leaks: the scenario's gates with --gate overrides. */
  gates: Gate[];
  /** No progress display or lines; warnings, errors and the summary still print. */
  quiet: boolean;
  /** Serve Prometheus metrics on 127.0.0.1 at this port while the run lasts (0: any free port). */
  metricsPort?: number;
}

const whole = (flag: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${flag} must be a number` })
    .int(`${flag} must be a whole number`)
    .min(min, `${flag} must be at least ${min}`)
    .max(max, `${flag} must be at most ${max}`);

const Flags = z.object({
  seed: whole('--seed', 0, 2 ** 31 - 1).optional(),
  cameras: whole('--cameras', 1, 100_000).optional(),
  users: whole('--users', 1, 100_000).optional(),
  metricsPort: whole('--metrics-port', 0, 65_535).optional(),
  k6Instances: whole('--k6-instances', 0, 64).optional(),
  duration: z.coerce
    .number({ error: '--duration must be a number of seconds' })
    .min(10, '--duration must be at least 10 seconds')
    .max(7 * 24 * 3600, '--duration must be at most a week')
    .optional(),
});

/** Turns flags into a config; `scenarios` maps names to scenarios, `now` names the default output folder. */
export function resolveRunConfig(options: RunOptions, scenarios: ReadonlyMap<string, Scenario>, now: Date): RunConfig {
  const name = options.scenario ?? 'storm';
  const scenario = scenarios.get(name);
  if (!scenario) throw new UsageError(`unknown scenario ${name}`, `pick one of ${[...scenarios.keys()].join(', ')}`);
  const parsed = Flags.safeParse(options);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
  const flags = parsed.data;
  const target = resolveTarget(options);
  if (target && options.bug !== undefined && options.bug !== 'none') {
    throw new UsageError('--bug only applies to the embedded reference cloud', 'drop --bug, or drop --target to storm the embedded cloud');
  }
  if (options.toxiproxy !== undefined) {
    // The run creates proxies there and sends it the target's address: it gets the loopback guard too.
    const url = parseUrlFlag('--toxiproxy', options.toxiproxy, 'http://127.0.0.1:8474');
    refuseRemote('--toxiproxy', url, options.allowRemote ?? false, 'Stampede only talks to 127.0.0.1 or ::1 unless you add --allow-remote');
  }
  const engine = options.engine ?? 'node';
  if (engine !== 'node' && engine !== 'k6') throw new UsageError(`unknown --engine ${engine}`, 'use node or k6');
  if (flags.k6Instances !== undefined && engine !== 'k6') throw new UsageError('--k6-instances goes with --engine k6');
  const remoteFleet = resolveRemoteFleet(flags.k6Instances, options);
  const stamp = now.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  return {
    scenario,
    ...(target ? { target } : {}),
    allowRemote: options.allowRemote ?? false,
    ...(options.toxiproxy ? { toxiproxyUrl: options.toxiproxy } : {}),
    outDir: options.out ?? `reports/${stamp}-${scenario.name}`,
    seed: flags.seed ?? randomSeed(),
    cameras: flags.cameras ?? scenario.defaults.cameras,
    users: flags.users ?? scenario.defaults.users,
    durationMs: Math.round((flags.duration ?? scenario.defaults.durationS) * 1000),
    bug: options.bug ?? 'none',
    engine,
    k6Instances: flags.k6Instances ?? 1,
    ...(remoteFleet ? { remoteFleet } : {}),
    gates: resolveRunGates(scenario.gates ?? {}, options.gate ?? []),
    quiet: options.quiet ?? false,
    ...(flags.metricsPort !== undefined ? { metricsPort: flags.metricsPort } : {}),
  };
}

function resolveTarget(options: RunOptions): RunConfig['target'] {
  if (options.target === undefined) {
    if (options.adminToken !== undefined) throw new UsageError('--admin-token goes with --target', 'add --target URL, or drop --admin-token');
    return undefined;
  }
  const url = parseUrlFlag('--target', options.target, 'http://127.0.0.1:8080');
  refuseRemote('--target', url, options.allowRemote ?? false, 'Stampede only storms 127.0.0.1 or ::1 unless you add --allow-remote (and own that backend)');
  // The CLI layer already fills this from STAMPEDE_ADMIN_TOKEN; the config only reads what it is given.
  const adminToken = options.adminToken;
  if (!adminToken) throw new UsageError('--target needs --admin-token', 'pass --admin-token T or set STAMPEDE_ADMIN_TOKEN');
  return { url: options.target.replace(/\/+$/, ''), adminToken };
}

/** `--k6-instances 0 --k6-export DIR --collector-listen HOST:PORT`: all three or none. */
function resolveRemoteFleet(instances: number | undefined, options: RunOptions): RemoteFleet | undefined {
  if (instances !== 0) {
    if (options.k6Export !== undefined || options.collectorListen !== undefined) {
      throw new UsageError('--k6-export and --collector-listen go with --k6-instances 0', 'add --k6-instances 0 to judge pods started elsewhere');
    }
    return undefined;
  }
  if (options.k6Export === undefined || options.collectorListen === undefined) {
    throw new UsageError('--k6-instances 0 starts no k6: it judges an exported run', 'add --k6-export DIR (the export folder) and --collector-listen HOST:PORT');
  }
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(options.collectorListen);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65_535) throw new UsageError(`--collector-listen ${options.collectorListen} is not HOST:PORT`, 'e.g. 0.0.0.0:9000 or 127.0.0.1:9000');
  const host = match[1]!.replace(/^\[(.*)\]$/, '$1');
  if (!options.allowRemote && !isLoopbackHost(host)) {
    throw new UsageError(`--collector-listen ${host} takes records from other machines`, 'add --allow-remote to let pods elsewhere reach the collector (its token still guards it)');
  }
  return { exportDir: options.k6Export, host, port };
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
