/**
 * `stampede conform`: checks a running target against every call of PROTOCOL.md with a handful of users and
 * cameras, or, with `--adapter FILE`, a backend of any shape through every area its adapter's hooks can express.
 * It replaces the target's world (or plays in the `--world` accounts), hence the loopback guard.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_GRACE_MS, DEFAULT_TIMEOUT_MS, runConformance, type ConformOptions } from '../conform/runner.ts';
import { renderResults, tally } from '../conform/render.ts';
import { runAdapterConformance } from '../conform/adapter/runner.ts';
import type { Result } from '../conform/expectation.ts';
import { resolveWorldFlag } from '../run/world-flag.ts';
import { CLOUD_NAMES, cloudKind, endpointsForAdapter } from '../run/clouds.ts';
import { startStandaloneCloud } from '../run/standalone-cloud.ts';
import { parseTargetUrl } from '../conform/target-url.ts';
import { keepSecret } from '../protocol/redact.ts';
import { printableText } from '../protocol/printable.ts';
import { ExitCode, UsageError } from '../errors.ts';
import { loadAdapter } from '../adapter/load.ts';
import type { Adapter } from '../adapter/types.ts';
import { adapterOptions } from '../run/config.ts';
import { parseTargets } from '../run/endpoints.ts';
import type { Subcommand } from './main.ts';
import { collect } from './collect.ts';

interface RawOptions {
  target?: string[];
  cloud?: string;
  bug: string;
  adapter?: string;
  adapterOption?: string[];
  world?: string;
  adminToken?: string;
  allowRemote?: boolean;
  timeoutMs: number;
  graceMs: number;
}

function milliseconds(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max} (milliseconds)`);
    }
    return value;
  };
}

/** The reference protocol's config: the target's base URL and admin token, checked. */
export function conformConfig(raw: RawOptions, target: string): ConformOptions {
  if (raw.adminToken === undefined) throw new UsageError('conform needs --admin-token', 'pass the token the target was started with, or set STAMPEDE_ADMIN_TOKEN');
  if (raw.adminToken.length === 0) throw new UsageError('the admin token is empty', 'pass the token the target was started with');
  const url = parseTargetUrl(target, raw.allowRemote === true);
  return { target: url.toString(), adminToken: raw.adminToken, timeoutMs: raw.timeoutMs, graceMs: raw.graceMs };
}

export const conform: Subcommand = (program: Command, done) => {
  program
    .command('conform')
    .description('check a running target against the reference protocol, or any backend through its adapter (resets its world)')
    .option('--adapter <file>', 'the adapter to check the backend through: a TypeScript file, or reference (the default)')
    .option('--target <url>', 'base URL of the target, e.g. http://127.0.0.1:8080, or NAME=URL per adapter endpoint, repeatable', collect)
    .option('--cloud <name>', `instead of --target: start an embedded cloud to check (${CLOUD_NAMES.join(', ')}), through its own adapter unless --adapter says otherwise`)
    .option('--bug <name>', 'with --cloud: a leak-zoo fault to switch on', 'none')
    .option('--adapter-option <key=value>', 'a value for the adapter\'s hooks (ctx.options), repeatable', collect)
    .option('--world <file>', 'with --adapter: the accounts that exist on the backend (JSON or YAML), for an adapter with no world.seed')
    // From the environment too, so the token need not sit in shell history or `ps` listings.
    .addOption(
      new Option('--admin-token <token>', 'the admin token the target was started with (with --adapter: given to its hooks as the adminToken option)')
        .env('STAMPEDE_ADMIN_TOKEN'),
    )
    .option('--allow-remote', 'allow a target that is not on this machine')
    .option('--timeout-ms <n>', 'timeout of every single call', milliseconds(100, 120_000), DEFAULT_TIMEOUT_MS)
    .option('--grace-ms <n>', 'how long access changes may take to apply', milliseconds(0, 60_000), DEFAULT_GRACE_MS)
    .action(async (raw: RawOptions, command: Command) => {
      for (const option of raw.adapterOption ?? []) if (option.includes('=')) keepSecret(option.slice(option.indexOf('=') + 1));
      keepSecret(raw.adminToken);
      if (raw.cloud === undefined && raw.target === undefined) throw new UsageError('conform needs --target URL', 'or --cloud NAME to check an embedded cloud');
      if (raw.cloud !== undefined && raw.target !== undefined) throw new UsageError('--cloud starts its own target', 'drop --target, or drop --cloud');
      if (raw.cloud === undefined && command.getOptionValueSource('bug') === 'cli') throw new UsageError('--bug goes with --cloud', 'add --cloud NAME, or drop --bug');
      const cloud = raw.cloud === undefined ? undefined : cloudKind(raw.cloud);
      const loaded = await loadAdapter(raw.adapter ?? cloud?.adapter);
      if (loaded.spec === 'reference' && raw.adapterOption !== undefined) throw new UsageError('--adapter-option goes with --adapter FILE', 'the reference protocol takes no adapter options; drop them');
      if (loaded.spec === 'reference' && raw.world !== undefined) throw new UsageError('--world goes with --adapter FILE', 'the reference protocol\'s conform seeds its own world; drop --world');
      const world = resolveWorldFlag({ world: raw.world });
      const started = raw.cloud === undefined ? undefined : await startStandaloneCloud(raw.cloud, raw.bug);
      let results: Result[];
      try {
        const endpoints = started ? cloudEndpoints(started.urls, loaded.adapter) : parseTargets(raw.target!, loaded.adapter.name, loaded.adapter.endpoints, raw.allowRemote === true);
        results = loaded.spec === 'reference'
          ? (await runConformance(conformConfig({ ...raw, ...(started ? { adminToken: started.options.adminToken, allowRemote: false } : {}) }, endpoints.target!))).results
          : (await runAdapterConformance({
            adapter: loaded.adapter,
            endpoints,
            options: adapterOptionsOf(raw, started?.options),
            accounts: world?.accounts,
            timeoutMs: raw.timeoutMs,
            graceMs: raw.graceMs,
          })).results;
      } finally {
        await started?.stop();
      }
      process.stdout.write(printableText(renderResults(results)));
      done(exitCodeOf(results));
    });
};

/** The adapter's options: `--adapter-option`s, the admin token as a run gives it (adminToken), an embedded cloud's own. */
function adapterOptionsOf(raw: RawOptions, cloudOptions: Record<string, string> = {}): Record<string, string> {
  const options = adapterOptions(raw.adapterOption ?? []);
  if (raw.adminToken !== undefined && options.adminToken === undefined) options.adminToken = raw.adminToken;
  return { ...options, ...cloudOptions };
}

/** An embedded cloud's endpoints under the adapter's names; a usage line when they do not fit. */
function cloudEndpoints(urls: Record<string, string>, adapter: Adapter): Record<string, string> {
  const endpoints = endpointsForAdapter(urls, adapter.endpoints);
  if (!endpoints) {
    throw new UsageError(`adapter ${adapter.name} declares endpoints ${adapter.endpoints.join(', ')}; this cloud serves ${Object.keys(urls).join(', ')}`, 'use the cloud\'s own adapter (drop --adapter), or --target');
  }
  return endpoints;
}

/** A failure fails (1); otherwise an expectation the adapter left without a verdict makes conform an error (3). */
function exitCodeOf(results: Result[]): number {
  const { failed, errors } = tally(results);
  return failed > 0 ? ExitCode.failed : errors > 0 ? ExitCode.unavailable : ExitCode.ok;
}
