/**
 * `stampede report DIR`: judges a run again from DIR/journal.ndjson and writes every report (summary.json,
 * junit.xml, summary.md, report.html) into DIR or --out; works on a run that was killed half-way, which is then
 * reported as interrupted and never passes. Exit codes as `run`: 0 pass, 1 fail, 2 bad usage, 3 no verdict.
 */
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { scenarios } from '../../scenarios/index.ts';
import { printableLine, printableText } from '../protocol/printable.ts';
import { consoleSummary } from '../report/console.ts';
import { reporters } from '../report/index.ts';
import { reportFailure, writeReports } from '../report/reporter.ts';
import { prepareOutDir } from '../run/out-dir.ts';
import { rejudge } from '../run/rejudge.ts';
import { outputFailure, unwrittenOf } from '../run/unwritten.ts';
import { UsageError } from '../errors.ts';
import { exitCodeOfVerdict } from '../verdict/decide.ts';
import type { Subcommand } from './main.ts';

interface ReportOptions {
  out?: string;
  gate?: string[];
}

export const report: Subcommand = (program: Command, done) => {
  program
    .command('report')
    .description('judge a run again from its journal and write summary.json, junit.xml, summary.md and report.html')
    .argument('<dir>', 'a run folder holding journal.ndjson (also one from a run that was killed)')
    .option('--out <dir>', 'where to write the reports (default: the run folder)')
    .option('--gate <expr>', "override or add a gate, repeatable, e.g. 'reconnect.p95<10s'", (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .action(async (dir: string, options: ReportOptions) => done(await reportRun(dir, options)));
};

async function reportRun(dir: string, options: ReportOptions): Promise<number> {
  const journal = journalIn(dir);
  const outDir = options.out ?? dir;
  // An explicit --out is checked before judging; the run folder itself exists, and a failure to write into it
  // is named file by file below.
  if (options.out !== undefined) await prepareOutDir(options.out);
  const { result, header, complete, tornLines } = await rejudge(journal, scenarios, options.gate ?? []);
  const log = (line: string) => process.stderr.write(`${printableLine(line)}\n`);
  if (!complete) log(`stampede: ${journal} has no end mark: the run was killed; judging what it recorded until then`);
  if (tornLines > 0) log(`stampede: skipped ${tornLines} torn ${tornLines === 1 ? 'line' : 'lines'} in ${journal}`);
  const written = await writeReports(reporters, result, { header, outDir });
  for (const failed of written.failed) log(`warning: ${reportFailure(failed)}`);
  const unwritten = unwrittenOf(outDir, undefined, written);
  process.stdout.write(printableText(consoleSummary(result.summary, outDir, unwritten.files)));
  const { verdict } = result.summary;
  const failure = outputFailure(unwritten, verdict);
  if (failure) throw failure.error;
  return exitCodeOfVerdict(verdict);
}

/** DIR/journal.ndjson, or one line saying why DIR is not a run folder. */
function journalIn(dir: string): string {
  const hint = 'point at a run folder written by stampede run';
  const folder = statSync(dir, { throwIfNoEntry: false });
  if (!folder) throw new UsageError(`${dir} does not exist`, hint);
  if (!folder.isDirectory()) throw new UsageError(`${dir} is a file, not a run folder`, hint);
  const journal = join(dir, 'journal.ndjson');
  if (!statSync(journal, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`${dir} holds no journal.ndjson`, hint);
  return journal;
}
