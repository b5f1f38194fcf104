/**
 * The one typed, validated configuration of `stampede run`. The CLI layer only turns flags into `RunOptions`;
 * everything else reads `RunConfig`, so a wrong flag is one clear line before anything starts.
 */
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { GateError, resolveGates, type Gate, type GateSpec } from '../oracle/gates.ts';
import { requireFetchablePort } from '../protocol/fetch-failure.ts';
import { parseUrlFlag, refuseRemote } from '../protocol/url-flag.ts';
import type { Scenario } from '../scenario/scenario.ts';

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
  /** What the run is held to besides zero leaks: the scenario's gates with --gate overrides. */
  gates: Gate[];
  /** No progress display or lines; warnings, errors and the summary still print. */
  quiet: boolean;
  /** Serve Prometheus metrics on 127.0.0.1 at this port while the run lasts (0: any free port). */
  metricsPort?: number;
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
  duration: numberText('--duration', /^\d+(\.\d+)?$/, 'a number of seconds')
    .pipe(z.number().min(10, '--duration must be at least 10 seconds').max(7 * 24 * 3600, '--duration must be at most a week'))
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
  if (target) requireFetchablePort(target.url, '--target');
  if (options.toxiproxy !== undefined) requireFetchablePort(options.toxiproxy, '--toxiproxy');
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
