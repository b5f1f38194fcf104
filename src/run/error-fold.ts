/**
 * Folds repeated errors on their way to the journal, so a target flooding garbage (32 MB of error records in
 * 20 s) cannot grow it without bound. The first few errors of each kind are written in full, as examples; the
 * rest are counted, and each flush writes one record per kind standing for them (`count`). The live oracle sees
 * every error; a journal judged again counts examples plus counts, the same total: the count is evidence.
 */
import type { HistoryRecord } from '../world/history.ts';

type ErrorRecord = Extract<HistoryRecord, { type: 'error' }>;

/** Errors of one kind written in full before the rest are only counted. */
export const EXAMPLES_PER_KIND = 5;
/** Distinct kinds tracked; beyond them, a source's new kinds share one (target-made messages are endless). */
const MAX_KINDS = 64;

interface Kind {
  examples: number;
  /** Folded since the last drain: how many, and the latest of them (its time and text stand for all). */
  count: number;
  latest?: ErrorRecord;
}

export class ErrorFold {
  private readonly kinds = new Map<string, Kind>();

  /** The record to write now, or undefined when it is only counted, to be written by `drain`. */
  take(record: ErrorRecord): ErrorRecord | undefined {
    const kind = this.kindOf(record);
    if (kind.examples < EXAMPLES_PER_KIND && record.count === undefined) {
      kind.examples += 1;
      return record;
    }
    kind.count += record.count ?? 1;
    kind.latest = record;
    return undefined;
  }

  /** One record per kind folded since the last call, carrying how many errors it stands for. */
  drain(): ErrorRecord[] {
    const records: ErrorRecord[] = [];
    for (const kind of this.kinds.values()) {
      if (kind.count === 0 || !kind.latest) continue;
      const { t, source, message } = kind.latest;
      records.push({ type: 'error', t, source, message, count: kind.count });
      kind.count = 0;
      kind.latest = undefined;
    }
    return records;
  }

  private kindOf(record: ErrorRecord): Kind {
    let key = `${record.source}|${kindText(record.message)}`;
    if (!this.kinds.has(key) && this.kinds.size >= MAX_KINDS) key = `${record.source}|(other)`;
    let kind = this.kinds.get(key);
    if (!kind) this.kinds.set(key, (kind = { examples: 0, count: 0 }));
    return kind;
  }
}

/** What makes errors alike: the message before its first detail (`unexpected device message: <frame>`), numbers aside. */
function kindText(message: string): string {
  const colon = message.indexOf(': ');
  return (colon === -1 ? message : message.slice(0, colon)).replace(/\d+/g, '#').slice(0, 80);
}
