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

/**
 * The run's start as the collector's orchestrator tells it: pods started elsewhere (k6-operator) are not given the
 * start in their environment, so they ask the central judge, whose nemesis and access changes run on that clock.
 * Undefined when the collector has none to tell (an old judge) or cannot be reached; setup() then takes "now".
 */
export function runClock(url: string, token: string): number | undefined {
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const answer = http.get(url, { headers: { authorization: `Bearer ${token}` }, timeout: '10s', tags: { name: 'stampede-collector' } });
    if (answer.status === 200) {
      const startedAt = (answer.json() as { startedAt?: unknown } | null)?.startedAt;
      return typeof startedAt === 'number' && Number.isFinite(startedAt) ? startedAt : undefined;
    }
    if (answer.status >= 400 && answer.status < 500) break;
  }
  return undefined;
}

/** What this instance says about itself at its end, so a judge that cannot read its summary file can check delivery. */
export interface Tally {
  segment: string;
  records: number;
  batchesFailed: number;
  plainLeaks: number;
}

/** Posts the instance's tally to the collector (from handleSummary, after every VU is done), with a few tries. */
export function shipTally(url: string, token: string, instance: number, tally: Tally): void {
  const body = JSON.stringify({ instance, tally });
  const params = { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, timeout: '10s', tags: { name: 'stampede-collector' } };
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const answer = http.post(url, body, params);
    if (answer.status === 204 || (answer.status >= 400 && answer.status < 500)) return;
  }
}
