/**
 * The folder a run or a report writes into, made ready before anything starts: an `--out` that is a file, sits
 * under a file or cannot be written is one line and exit 2 before any load is sent, not an internal error once
 * the storm is over.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, StampedeError } from '../errors.ts';

/** Creates `dir` (and its parents) and proves a file can be created in it; `label` names it, e.g. `--out reports/x`. */
export async function prepareOutDir(dir: string, label = `--out ${dir}`): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw unusable(label, error);
  }
  // mkdir succeeds on an existing folder without asking whether we may write in it (a read-only mount): try it.
  const probe = join(dir, `.stampede-write-check-${process.pid}`);
  try {
    await writeFile(probe, '');
  } catch (error) {
    throw unusable(label, error);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}

function unusable(label: string, error: unknown): StampedeError {
  const { code, message } = error as NodeJS.ErrnoException;
  const hint = 'pick a folder you can write to';
  switch (code) {
    case 'EEXIST':
      return new StampedeError(`${label} is a file, not a folder`, ExitCode.usage, hint);
    case 'ENOTDIR':
      return new StampedeError(`${label} is under a file, not a folder`, ExitCode.usage, hint);
    case 'EACCES':
    case 'EPERM':
      return new StampedeError(`${label} is not writable by this user`, ExitCode.usage, hint);
    case 'EROFS':
      return new StampedeError(`${label} is on a read-only file system`, ExitCode.usage, hint);
    case 'ENOSPC':
    case 'EDQUOT':
      return new StampedeError(`${label} is on a full disk`, ExitCode.unavailable, 'free some space or pick another folder');
    default:
      return new StampedeError(`${label} cannot be written: ${message}`, ExitCode.unavailable, hint);
  }
}
