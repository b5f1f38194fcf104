/** A Recorder that keeps records in memory, for reading back what the nemesis wrote. */
import type { HistoryRecord, Recorder } from '../../../src/world/history.ts';

export class MemoryRecorder implements Recorder {
  readonly records: HistoryRecord[] = [];

  record(record: HistoryRecord): void {
    this.records.push(record);
  }

  faults(): Extract<HistoryRecord, { type: 'fault' }>[] {
    return this.records.filter((record) => record.type === 'fault');
  }

  errors(): Extract<HistoryRecord, { type: 'error' }>[] {
    return this.records.filter((record) => record.type === 'error');
  }
}
