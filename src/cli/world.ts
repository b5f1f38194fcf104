/**
 * `stampede world template --cameras N --users M [--out FILE] [--force]`: write a world file to fill in with the
 * accounts that exist on your backend. As written it runs against the embedded cloud; its comments say how to
 * turn each secret into an `${ENV_NAME}` reference for a real one. Exit 0 written, 2 bad usage.
 */
import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { ExitCode, UsageError } from '../errors.ts';
import { printableLine } from '../protocol/printable.ts';
import { worldTemplate } from '../world/template.ts';
import type { Subcommand } from './main.ts';
import { writeNewFile } from './new-file.ts';

interface TemplateOptions {
  cameras: string;
  users: string;
  out?: string;
  force: boolean;
}

/** Enough for a short storm to check every surface; small enough to fill in by hand. */
const DEFAULT_CAMERAS = '20';
const DEFAULT_USERS = '10';
const MAX_ACCOUNTS = 100_000;

export const world: Subcommand = (program: Command, done) => {
  const command = program.command('world').description('world files: the users and cameras that already exist on a backend');
  command
    .command('template')
    .description('write a world file to fill in; as written, `stampede run --world FILE` passes against the embedded cloud')
    .option('--cameras <n>', 'cameras to list', DEFAULT_CAMERAS)
    .option('--users <n>', 'users to list', DEFAULT_USERS)
    .option('--out <file>', 'where to write it (default: standard output)')
    .option('--force', 'overwrite --out if it exists', false)
    .action((options: TemplateOptions) => {
      const size = { cameras: count('--cameras', options.cameras), users: count('--users', options.users) };
      const text = worldTemplate(size, () => randomBytes(18).toString('base64url'));
      if (options.out === undefined) process.stdout.write(text);
      else {
        writeNewFile(options.out, text, { force: options.force, mode: 0o600, another: '--out' }); // owner-only: it holds secrets
        process.stderr.write(`${printableLine(`stampede: wrote ${options.out} (${size.users} users, ${size.cameras} cameras): try it with bin/stampede run --world ${options.out}`)}\n`);
      }
      done(ExitCode.ok);
    });
};

function count(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > MAX_ACCOUNTS) throw new UsageError(`${flag} must be a whole number from 1 to ${MAX_ACCOUNTS} (got ${JSON.stringify(text)})`);
  return value;
}
