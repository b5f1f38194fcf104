/**
 * `stampede init adapter NAME`: scaffolds `NAME.adapter.ts` (a commented adapter that runs as it is against the
 * embedded cloud) in the current directory, or `--dir`. It never overwrites a file unless `--force` is given.
 */
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { adapterScaffold } from '../init/adapter.ts';
import { ExitCode, UsageError } from '../errors.ts';
import type { Subcommand } from './main.ts';

interface RawOptions {
  dir: string;
  force?: boolean;
}

/** Writes one scaffold file; an existing file is one usage line unless `force`. */
export async function writeScaffold(path: string, text: string, force: boolean): Promise<void> {
  try {
    await writeFile(path, text, { flag: force ? 'w' : 'wx', mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${path} already exists`, 'pass --force to overwrite it, or choose another name or --dir');
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`cannot write ${path}: no such directory`, 'create it first, or choose another --dir');
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new UsageError(`cannot write ${path}: permission denied`, 'choose a directory you can write to with --dir');
    throw error;
  }
}

export const init: Subcommand = (program: Command, done) => {
  program
    .command('init')
    .description('scaffold files to test your own backend')
    .command('adapter')
    .description('write NAME.adapter.ts: a commented adapter to edit into one for your backend')
    .argument('<name>', 'the adapter\'s name (lower-case letters, digits, "-", "_")')
    .option('--dir <dir>', 'where to write it', '.')
    .option('--force', 'overwrite files that exist')
    .action(async (name: string, raw: RawOptions) => {
      const text = await adapterScaffold(name);
      const path = join(raw.dir, `${name}.adapter.ts`);
      await writeScaffold(path, text, raw.force === true);
      const shown = relative(process.cwd(), path) || path;
      process.stdout.write(`wrote ${shown}\nnext: bin/stampede run --adapter ./${shown.replace(/^\.\//, '')}   (runs as it is against the embedded cloud; then edit it for your backend)\n`);
      done(ExitCode.ok);
    });
};
