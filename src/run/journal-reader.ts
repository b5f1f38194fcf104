/**
 * Reads a journal back, line by line, for `stampede report` and re-judging. A run killed mid-write leaves a torn
 * last line: it is counted and skipped, never fatal. Anything else unreadable is one clear error.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { StampedeError, ExitCode } from '../cli/exit.ts';
import type { HistoryRecord } from '../world/history.ts';
import type { JournalHeader } from './journal.ts';

export interface JournalContents {
  header: JournalHeader;
  /** Lines that did not parse (a torn last line after a kill); reported, not judged. */
  tornLines: number;
}

/**
 * Streams the journal at `path`: resolves the header, then hands each record to `onRecord` in order.
 * `onHeader` sees the header before the first record (to build what the records feed).
 */
export async function readJournal(
  path: string,
  onRecord: (record: HistoryRecord) => void,
  onHeader?: (header: JournalHeader) => void,
): Promise<JournalContents> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let header: JournalHeader | undefined;
  let tornLines = 0;
  try {
    for await (const line of lines) {
      if (line.length === 0) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        tornLines += 1;
        continue;
      }
      if (header === undefined) {
        if (!isHeader(value)) throw badJournal(path, 'its first line does not describe a run');
        header = value;
        onHeader?.(value);
      } else {
        onRecord(value as HistoryRecord);
      }
    }
  } catch (error) {
    if (error instanceof StampedeError) throw error;
    throw badJournal(path, (error as Error).message);
  }
  if (header === undefined) throw badJournal(path, 'it is empty');
  return { header, tornLines };
}

function isHeader(value: unknown): value is JournalHeader {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'run' && 'world' in value;
}

function badJournal(path: string, why: string): StampedeError {
  return new StampedeError(`cannot read the journal ${path}: ${why}`, ExitCode.usage, 'point at a run folder Stampede wrote');
}
