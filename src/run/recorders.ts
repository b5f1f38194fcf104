/**
 * The run's one Recorder, handing each record to every sink: the journal on disk, the live oracle, the live
 * metrics. A sink that throws is cut off and remembered, never allowed to break the drivers' hot paths; the
 * run reports it, since a sink that stopped listening means evidence may be missing.
 */
import type { HistoryRecord, Recorder } from '../world/history.ts';

export class FanOut implements Recorder {
  private readonly sinks: { name: string; sink: Recorder }[] = [];
  /** Sinks that threw, with their first error. */
  readonly failures: { name: string; error: unknown }[] = [];
  /** Every record seen, by type: cheap live counters for progress lines. */
  readonly counts = new Map<HistoryRecord['type'], number>();

  add(name: string, sink: Recorder): this {
    this.sinks.push({ name, sink });
    return this;
  }

  record(record: HistoryRecord): void {
    this.counts.set(record.type, (this.counts.get(record.type) ?? 0) + 1);
    for (let i = 0; i < this.sinks.length; i += 1) {
      const entry = this.sinks[i]!;
      try {
        entry.sink.record(record);
      } catch (error) {
        this.failures.push({ name: entry.name, error });
        this.sinks.splice(i, 1);
        i -= 1;
      }
    }
  }

  count(type: HistoryRecord['type']): number {
    return this.counts.get(type) ?? 0;
  }
}
