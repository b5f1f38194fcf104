/**
 * A VU's Recorder: history records batched to the orchestrator's collector over plain HTTP, which works the same
 * on one machine and from pods in a cluster. Every record is counted in `stampede_records` before it is sent, and
 * the collector counts what arrived, so a record lost in transit makes the run an error instead of hiding a leak.
 */
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import type { HistoryRecord, Recorder } from '../../../src/world/history.ts';

/** A batch goes when it reaches this many records, or at the VU's next flush tick (every ~250 ms). */
export const BATCH_RECORDS = 200;
export const FLUSH_MS = 250;
const TRIES = 3;

export const recordsMade = new Counter('stampede_records');
const batchesFailed = new Counter('stampede_batches_failed');

/**
 * Batch numbers per VU (each VU is its own JS runtime, so this is per VU), shared by every recorder the VU makes
 * across iterations: the collector drops a (instance, VU, sequence) it has seen, which must only ever be a retry.
 */
let nextSequence = 0;

export class ShippingRecorder implements Recorder {
  private batch: HistoryRecord[] = [];
  /** After the VU's last flush a stray record (a late socket event) is sent at once rather than left behind. */
  private finished = false;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly instance: number,
    private readonly vu: number,
  ) {}

  record(record: HistoryRecord): void {
    if (this.url === '') return; // standalone: nobody to judge the history, the leak counter still runs
    recordsMade.add(1);
    this.batch.push(record);
    if (this.finished || this.batch.length >= BATCH_RECORDS) this.flush();
  }

  /** The VU is done: sends what is left, and from now on every record as it comes. */
  finish(): void {
    this.finished = true;
    this.flush();
  }

  /** Sends what is batched; a few tries, then the batch is given up and shows up as missing records. */
  flush(): void {
    if (this.batch.length === 0) return;
    const body = JSON.stringify({ instance: this.instance, vu: this.vu, sequence: nextSequence++, records: this.batch });
    this.batch = [];
    const params = {
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      timeout: '10s',
      tags: { name: 'stampede-collector' },
    };
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const answer = http.post(this.url, body, params);
      if (answer.status === 204) return;
      if (answer.status >= 400 && answer.status < 500) break; // refused for good (token, size): retrying cannot help
    }
    batchesFailed.add(1);
  }
}
