/**
 * `stampede init adapter NAME`: scaffolds `NAME.adapter.ts` (a commented adapter that runs as it is against the
 * embedded cloud) and `NAME.world.yaml` (the accounts to list for a backend Stampede may not seed) in the current
 * folder, or `--dir`. It writes neither if either exists, unless `--force` is given.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { adapterScaffold } from '../init/adapter.ts';
import { ExitCode, UsageError } from '../errors.ts';
import { printableText } from '../protocol/printable.ts';
import { worldTemplate } from '../world/template.ts';
import type { Subcommand } from './main.ts';
import { writeNewFile } from './new-file.ts';

interface RawOptions {
  dir: string;
  force?: boolean;
}

export const init: Subcommand = (program: Command, done) => {
  program
    .command('init')
    .description('scaffold files to test your own backend')
    .command('adapter')
    .description('write NAME.adapter.ts and NAME.world.yaml: a commented adapter and world file to edit for your backend')
    .argument('<name>', 'the adapter\'s name (lower-case letters, digits, "-", "_")')
    .option('--dir <dir>', 'where to write them', '.')
    .option('--force', 'overwrite files that exist')
    .action(async (name: string, raw: RawOptions) => {
      const adapter = await adapterScaffold(name);
      const world = worldTemplate({ cameras: 20, users: 10 }, () => randomBytes(18).toString('base64url'));
      const adapterPath = join(raw.dir, `${name}.adapter.ts`);
      const worldPath = join(raw.dir, `${name}.world.yaml`);
      const force = raw.force === true;
      // Both or neither: half a scaffold next to a user's own file helps nobody.
      const existing = [adapterPath, worldPath].filter((path) => existsSync(path));
      if (existing.length > 0 && !force) throw new UsageError(`${existing.join(' and ')} already ${existing.length > 1 ? 'exist' : 'exists'}`, 'add --force to overwrite, or pick another name or --dir');
      writeNewFile(adapterPath, adapter, { force: true, mode: 0o644, another: 'name or --dir' });
      writeNewFile(worldPath, world, { force: true, mode: 0o600, another: 'name or --dir' }); // owner-only: it holds secrets
      process.stdout.write(printableText([
        `wrote ${adapterPath} and ${worldPath}`,
        'both run as they are against the embedded cloud:',
        `  bin/stampede run --adapter ${adapterPath} --world ${worldPath}`,
        'then edit the adapter\'s hooks and the world\'s accounts for your backend (README: "Your own backend").',
        '',
      ].join('\n')));
      done(ExitCode.ok);
    });
};
