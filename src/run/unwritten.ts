/**
 * The run folder's files that could not be written (a full disk, a read-only mount, a file in the way). The live
 * oracle still judged every record, but a journal cut short can no longer back that verdict up and a missing
 * report cannot be read: the run is never a pass, the console never points at a file that is not there, and the
 * exit code says so (3, unless a leak or a breached gate already failed the run: that news stands).
 */
import { UnavailableError } from '../errors.ts';
import type { ReportsWritten } from '../report/reporter.ts';
import type { SummaryVerdict } from '../report/summary.ts';
import type { Journal } from './journal.ts';

/** The line the summary carries when the journal was cut short, naming it. */
export function journalLoss(journal: Journal | undefined): string | undefined {
  if (!journal?.error) return undefined;
  return `could not write ${journal.path}: ${journal.error.message}; it holds only what reached the disk before`;
}

export interface Unwritten {
  /** File names inside the run folder, for the console. */
  files: string[];
  /** One line naming them, the folder, and the first reason (they share one, a full disk, as a rule). */
  message?: string;
}

export function unwrittenOf(outDir: string, journal: Journal | undefined, reports: ReportsWritten): Unwritten {
  const errors = [...(journal?.error ? [journal.error] : []), ...reports.failed.map((failed) => failed.error)];
  const files = [...(journal?.error ? ['journal.ndjson'] : []), ...reports.failed.map((failed) => failed.file)];
  if (files.length === 0) return { files };
  const first = errors[0];
  return { files, message: `could not write ${files.join(', ')} in ${outDir}: ${first instanceof Error ? first.message : String(first)}` };
}

/** The run's failure when its output is incomplete and no leak or breached gate already failed it. */
export function outputFailure(unwritten: Unwritten, verdict: SummaryVerdict): { title: string; error: unknown } | undefined {
  if (unwritten.message === undefined || verdict === 'fail') return undefined;
  return { title: 'writing the run folder', error: new UnavailableError(unwritten.message, 'free some disk space or pick another --out') };
}
