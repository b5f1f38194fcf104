/**
 * `--world FILE`: the run's users and cameras from a file instead of generated ones. The file says how many there
 * are, so `--cameras` and `--users` have nothing left to say and are refused beside it.
 */
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import type { Accounts } from '../world/accounts.ts';
import { readWorldFile } from '../world/file.ts';

export interface WorldFile {
  /** Absolute, so workers started in another folder read the same file. */
  path: string;
  accounts: Accounts;
}

export function resolveWorldFlag(options: { world?: string; cameras?: string; users?: string }): WorldFile | undefined {
  if (options.world === undefined) return undefined;
  if (options.world.trim() === '') throw new UsageError('--world needs a file', 'write one with `bin/stampede world template --out world.yaml`');
  const clashing = (['cameras', 'users'] as const).filter((flag) => options[flag] !== undefined);
  if (clashing.length > 0) {
    throw new UsageError(`--world lists the cameras and users itself`, `drop ${clashing.map((flag) => `--${flag}`).join(' and ')}`);
  }
  return { path: resolve(options.world), accounts: readWorldFile(options.world) };
}
