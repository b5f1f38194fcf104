/**
 * A worker's Recorder: history records batched to the run's collector over plain HTTP, the same on one machine and
 * from pods in a cluster. Every record is counted before it is sent and the collector counts what arrived, so a
 * record lost in transit makes the run an error instead of hiding a leak. Bounded: a batch goes at BATCH_RECORDS
 * records or every FLUSH_MS (well inside the run's reorder window), at most IN_FLIGHT batches travel at once, and a
 * backlog beyond MAX_QUEUED batches is given up (and so counted) rather than held without limit.
 */
import type { HistoryRecord, Recorder } from '../../world/history.ts';
import type { CollectorLink } from './link.ts';

export const BATCH_RECORDS = 500;
export const FLUSH_MS = 250;
/**
 * One worker can carry a 10,000-client fleet, about 4,000 records a second: with 4 batches in flight they queued
 * behind the collector's answers, and 12,000 to 32,000 records a run reached the judge after its reorder window.
 */
const IN_FLIGHT = 8;
const MAX_QUEUED = 2000;
const TRIES = 4;
/** A worker with nothing to ship still says how far it has shipped this often, or the run would wait on it (reorder.ts). */
const IDLE_MARK_MS = 1000;

export class Shipper implements Recorder {
  private batch: HistoryRecord[] = [];
  /** Closed batches waiting to go, each with the clock at its closing (the collector's `through`). */
  private readonly queue: { records: HistoryRecord[]; through: number }[] = [];
  private sending = 0;
  private sequence = 0;
  /** When the last batch was closed. */
  private closedAt = 0;
  private made = 0;
  private failed = 0;
  private idle: (() => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  /** Why the first batch was given up, for the worker's log. */
  firstFailure: string | undefined;

  constructor(private readonly link: CollectorLink) {
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
  }

  record(record: HistoryRecord): void {
    this.made++;
    this.batch.push(record);
    if (this.batch.length >= BATCH_RECORDS) this.flush();
  }

  /** Records made, and batches given up after retries. */
  tally(): { records: number; batchesFailed: number } {
    return { records: this.made, batchesFailed: this.failed };
  }

  /** Sends what is left and resolves once every batch was answered or given up; records after this still go. */
  async finish(): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    if (this.sending === 0 && this.queue.length === 0) return;
    await new Promise<void>((resolve) => (this.idle = resolve));
  }

  private flush(): void {
    if (this.batch.length === 0 && (this.queue.length > 0 || this.sending > 0 || Date.now() - this.closedAt < IDLE_MARK_MS)) return;
    this.closedAt = Date.now();
    if (this.queue.length >= MAX_QUEUED) {
      this.giveUp('the collector fell too far behind');
    } else {
      this.queue.push({ records: this.batch, through: this.closedAt });
    }
    this.batch = [];
    this.pump();
  }

  private giveUp(why: string): void {
    this.failed++;
    this.firstFailure ??= why;
  }

  private pump(): void {
    while (this.sending < IN_FLIGHT && this.queue.length > 0) {
      const { records, through } = this.queue.shift()!;
      const sequence = this.sequence++;
      this.sending++;
      void this.send(records, through, sequence).finally(() => {
        this.sending--;
        this.pump();
        if (this.sending === 0 && this.queue.length === 0) this.idle?.();
      });
    }
  }

  private async send(records: HistoryRecord[], through: number, sequence: number): Promise<void> {
    let why = '';
    for (let attempt = 0; attempt < TRIES; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      const answer = await this.link.post({ worker: this.link.index, stream: 0, sequence, through, records });
      if (answer.ok) return;
      why = answer.why;
      // A refusal (bad token, too big, malformed) will not change on a retry.
      if (!answer.retry) break;
    }
    // An empty batch only said how far the worker had shipped: giving it up loses no record.
    if (records.length > 0) this.giveUp(why);
  }
}
