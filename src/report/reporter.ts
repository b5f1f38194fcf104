/**
 * One reporter per format behind one multiplexer, as Playwright's reporters are: each renders the same
 * `RunResult` into one file of the run folder, and a reporter that throws is reported and skipped, never
 * allowed to take the run, the other reports or the evidence down with it.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redactDeep } from '../protocol/redact.ts';
import type { JournalHeader } from '../world/journal-header.ts';
import type { RunResult } from './result.ts';

/** What a reporter may know besides the result: the run's header (its world, secrets removed) and the folder. */
export interface ReportContext {
  header: JournalHeader;
  outDir: string;
}

export interface Reporter {
  /** e.g. `junit`; used in messages. */
  format: string;
  /** The file name inside the run folder, e.g. `junit.xml`. */
  file: string;
  render(result: RunResult, context: ReportContext): string;
}

export interface ReportsWritten {
  written: string[];
  /** Reports not written (a renderer that threw, a full or read-only disk); none of them is left half-written. */
  failed: { format: string; file: string; path: string; error: unknown }[];
}

/** Renders and writes every reporter's file; failures are collected, not thrown. */
export async function writeReports(reporters: readonly Reporter[], result: RunResult, context: ReportContext): Promise<ReportsWritten> {
  const outcome: ReportsWritten = { written: [], failed: [] };
  // The one redaction point, before any format escapes a secret out of recognition.
  result = redactDeep(result);
  context = { ...context, header: redactDeep(context.header) };
  for (const reporter of reporters) {
    const path = join(context.outDir, reporter.file);
    try {
      await writeFile(path, reporter.render(result, context));
      outcome.written.push(path);
    } catch (error) {
      // A truncated summary.json or an empty report.html would be read as the run's word: leave none behind.
      await rm(path, { force: true }).catch(() => undefined);
      outcome.failed.push({ format: reporter.format, file: reporter.file, path, error });
    }
  }
  return outcome;
}

/** One line for a report that was not written, naming its file. */
export function reportFailure({ format, path, error }: ReportsWritten['failed'][number]): string {
  const message = error instanceof Error ? error.message : String(error);
  return (error as NodeJS.ErrnoException).code ? `could not write ${path}: ${message}` : `the ${format} report failed: ${message}`;
}
