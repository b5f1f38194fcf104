/**
 * Reads a journal back, line by line, for `stampede report` and re-judging. A run killed mid-write leaves a torn
 * last line: it is counted and skipped, never fatal (the run has no end mark, so it cannot pass). Any other line
 * that is not a record is a corrupt journal, one clear error naming the line: a journal with a hole in the middle
 * or something after its end mark must never be judged as if it were whole.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { StampedeError, ExitCode } from '../errors.ts';
import type { HistoryRecord } from '../world/history.ts';
import type { JournalHeader } from '../world/journal-header.ts';

export interface JournalContents {
  header: JournalHeader;
  /** Lines that did not parse (a torn last line after a kill); reported, not judged. At most one. */
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
  /** The line number of an unparseable line, forgiven only if nothing follows it. */
  let torn: number | undefined;
  let ended = false;
  let number = 0;
  try {
    for await (const line of lines) {
      number += 1;
      if (line.length === 0) continue;
      if (torn !== undefined) throw corrupt(path, torn, 'it is not a JSON record, and more records follow it');
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        if (header === undefined) throw notAJournal(path, 'its first line is not JSON');
        torn = number;
        continue;
      }
      if (header === undefined) {
        if (!isHeader(value)) throw notAJournal(path, 'its first line does not describe a run');
        header = value;
        onHeader?.(value);
        continue;
      }
      if (ended) throw corrupt(path, number, 'it follows the end mark');
      if (!isRecord(value)) throw corrupt(path, number, 'it is not a history record');
      try {
        onRecord(value);
      } catch (error) {
        throw corrupt(path, number, (error as Error).message);
      }
      ended = value.type === 'end';
    }
  } catch (error) {
    if (error instanceof StampedeError) throw error;
    throw new StampedeError(`cannot read the journal ${path}: ${(error as Error).message}`, ExitCode.unavailable);
  }
  if (header === undefined) throw notAJournal(path, 'it is empty');
  if (torn !== undefined && ended) throw corrupt(path, torn, 'it follows the end mark');
  return { header, tornLines: torn === undefined ? 0 : 1 };
}

function isRecord(value: unknown): value is HistoryRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string';
}

function isHeader(value: unknown): value is JournalHeader {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'run' && 'world' in value;
}

/** Not a journal at all: the user pointed at the wrong file. */
function notAJournal(path: string, why: string): StampedeError {
  return new StampedeError(`${path} is not a Stampede journal: ${why}`, ExitCode.usage, 'point at a run folder Stampede wrote');
}

/** A journal with a bad line where a record should be: it cannot be judged, and it must never pass. */
function corrupt(path: string, line: number, why: string): StampedeError {
  return new StampedeError(`the journal ${path} is corrupt at line ${line}: ${why}`, ExitCode.unavailable, 'it cannot be judged; run again to get a whole journal');
}
