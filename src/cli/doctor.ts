/**
 * `stampede doctor`: one line per tool and service Stampede uses, and what to do about anything
 * missing. Exits 3 when something required is missing, so CI can run it as a first step.
 */
import type { Command } from 'commander';
import { printableText } from '../protocol/printable.ts';
import { takeInventory, type Check } from '../services/inventory.ts';
import { ExitCode } from '../errors.ts';
import type { Subcommand } from './main.ts';

interface RawOptions {
  json?: boolean;
}

/** The whole verdict: usable when every required check passed. */
export function verdictOf(checks: readonly Check[]): { ok: boolean; missingRequired: string[] } {
  const missingRequired = checks.filter((check) => check.required && !check.ok).map((check) => check.name);
  return { ok: missingRequired.length === 0, missingRequired };
}

export function renderChecks(checks: readonly Check[]): string {
  const width = Math.max(...checks.map((check) => check.name.length));
  const lines = checks.map((check) => {
    const status = check.ok ? 'ok' : check.required ? 'MISSING' : 'missing';
    const optional = check.required ? '' : ' (optional)';
    const fix = check.ok || check.fix === undefined ? '' : `\n${' '.repeat(10 + width)}-> ${check.fix}`;
    return `${status.padEnd(8)}  ${check.name.padEnd(width)}  ${check.detail}${check.ok ? '' : optional}${fix}`;
  });
  const { ok, missingRequired } = verdictOf(checks);
  lines.push(ok ? 'ready: everything required is here' : `not ready: missing ${missingRequired.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export const doctor: Subcommand = (program: Command, done) => {
  program
    .command('doctor')
    .description('check the tools and services Stampede needs (Node, Go, toxiproxy-server, Redis, Mosquitto)')
    .option('--json', 'print the checks as JSON')
    .action(async (raw: RawOptions) => {
      const checks = await takeInventory();
      const { ok } = verdictOf(checks);
      process.stdout.write(printableText(raw.json === true ? `${JSON.stringify({ ok, checks }, null, 2)}\n` : renderChecks(checks)));
      done(ok ? ExitCode.ok : ExitCode.unavailable);
    });
};
