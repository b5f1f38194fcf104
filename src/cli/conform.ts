/**
 * `stampede conform`: checks a running target against every call of PROTOCOL.md with a handful of users and
 * cameras. It replaces the target's world, hence the loopback guard.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_GRACE_MS, DEFAULT_TIMEOUT_MS, runConformance, type ConformOptions } from '../conform/runner.ts';
import { renderResults, tally } from '../conform/render.ts';
import { parseTargetUrl } from '../conform/target-url.ts';
import { keepSecret } from '../protocol/redact.ts';
import { printableText } from '../protocol/printable.ts';
import { ExitCode, UsageError } from '../errors.ts';
import { loadAdapter } from '../adapter/load.ts';
import { adapterOptions } from '../run/config.ts';
import { parseTargets } from '../run/endpoints.ts';
import type { Subcommand } from './main.ts';
import { collect } from './collect.ts';

interface RawOptions {
  target: string[];
  adapter?: string;
  adapterOption?: string[];
  adminToken: string;
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

/** Raw flags to the one validated config the run uses. */
export function conformConfig(raw: RawOptions): ConformOptions {
  if (raw.adminToken.length === 0) throw new UsageError('the admin token is empty', 'pass the token the target was started with');
  const [target] = Object.values(parseTargets(raw.target, 'reference', ['target'], raw.allowRemote === true));
  const url = parseTargetUrl(target!, raw.allowRemote === true);
  return { target: url.toString(), adminToken: raw.adminToken, timeoutMs: raw.timeoutMs, graceMs: raw.graceMs };
}

export const conform: Subcommand = (program: Command, done) => {
  program
    .command('conform')
    .description('check a running target against the reference protocol (resets its world)')
    .option('--adapter <file>', 'the adapter to check the backend through: a TypeScript file, or reference (the default)')
    .requiredOption('--target <url>', 'base URL of the target, e.g. http://127.0.0.1:8080, or NAME=URL per adapter endpoint, repeatable', collect)
    .option('--adapter-option <key=value>', 'a value for the adapter\'s hooks (ctx.options), repeatable', collect)
    // From the environment too, so the token need not sit in shell history or `ps` listings.
    .addOption(
      new Option('--admin-token <token>', 'the admin token the target was started with')
        .env('STAMPEDE_ADMIN_TOKEN')
        .makeOptionMandatory(),
    )
    .option('--allow-remote', 'allow a target that is not on this machine')
    .option('--timeout-ms <n>', 'timeout of every single call', milliseconds(100, 120_000), DEFAULT_TIMEOUT_MS)
    .option('--grace-ms <n>', 'how long access changes may take to apply', milliseconds(0, 60_000), DEFAULT_GRACE_MS)
    .action(async (raw: RawOptions) => {
      for (const option of raw.adapterOption ?? []) if (option.includes('=')) keepSecret(option.slice(option.indexOf('=') + 1));
      const loaded = await loadAdapter(raw.adapter);
      const options = adapterOptions(raw.adapterOption ?? []);
      if (loaded.spec !== 'reference') {
        // Bad input is still refused first, so the flags a user types are checked the same way as for run.
        parseTargets(raw.target, loaded.adapter.name, loaded.adapter.endpoints, raw.allowRemote === true);
        void options;
        throw new UsageError(`conform through adapter ${loaded.adapter.name} is not built yet`, 'run conform against a PROTOCOL.md target (no --adapter) for now');
      }
      const config = conformConfig(raw);
      keepSecret(config.adminToken);
      const report = await runConformance(config);
      process.stdout.write(printableText(renderResults(report.results)));
      done(tally(report.results).failed > 0 ? ExitCode.failed : ExitCode.ok);
    });
};
