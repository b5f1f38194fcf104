/**
 * One reporter per format behind one multiplexer, as Playwright's reporters are: each renders the same
 * `RunResult` into one file of the run folder, and a reporter that throws is reported and skipped, never
 * allowed to take the run, the other reports or the evidence down with it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redactDeep } from '../protocol/redact.ts';
import type { JournalHeader } from '../run/journal.ts';
import type { RunResult } from '../run/observers.ts';

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
  failed: { format: string; error: unknown }[];
}

/** Renders and writes every reporter's file; failures are collected, not thrown. */
export async function writeReports(reporters: readonly Reporter[], result: RunResult, context: ReportContext): Promise<ReportsWritten> {
  const outcome: ReportsWritten = { written: [], failed: [] };
  // The one redaction point, before any format escapes a secret out of recognition.
  result = redactDeep(result);
  context = { ...context, header: redactDeep(context.header) };
  for (const reporter of reporters) {
    try {
      const path = join(context.outDir, reporter.file);
      await writeFile(path, reporter.render(result, context));
      outcome.written.push(path);
    } catch (error) {
      outcome.failed.push({ format: reporter.format, error });
    }
  }
  return outcome;
}
