/**
 * Writing a file a subcommand scaffolds: never over an existing one unless `--force` (it may be the filled-in
 * adapter or world of a real backend), and a failure is one usage line saying what to do.
 */
import { writeFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';

/** `another`: what to change instead of forcing, e.g. `--out`. */
export function writeNewFile(path: string, text: string, options: { force: boolean; mode: number; another: string }): void {
  try {
    writeFileSync(path, text, { flag: options.force ? 'w' : 'wx', mode: options.mode });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${path} already exists`, `add --force to overwrite it, or pick another ${options.another}`);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`cannot write ${path}: no such folder`, 'create it first, or pick another');
    if (code === 'EISDIR') throw new UsageError(`cannot write ${path}: it is a folder`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new UsageError(`cannot write ${path}: permission denied`, 'pick a folder you can write to');
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}
