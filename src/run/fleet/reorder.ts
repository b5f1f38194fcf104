/**
 * Puts records that arrive through the collector back in time order before the oracle sees them. A fleet in the
 * run's own process records each observation the moment it happens; worker processes batch theirs, so a user's
 * `shown` from one worker can reach the collector before the camera's `sent` of the same event from another, which
 * the oracle would count as an item it cannot judge. Records are held for a short window and released oldest
 * first; whatever arrives later than the window still goes through, and is counted.
 */
import type { HistoryRecord, Recorder } from '../../world/history.ts';

/** Longer than a worker's flush interval plus a slow collector round trip. */
export const REORDER_WINDOW_MS = 3000;
const TICK_MS = 200;
/** More late records than this share of all, and the run is not judged (`lateProblem`); healthy runs have none. */
const LATE_SHARE = 0.01;

function timeOf(record: HistoryRecord): number {
  return record.type === 'access' ? record.end : record.t;
}

/**
 * Within one millisecond, cause before effect: a camera's `sent` before anything that shows the event (a fast
 * target pushes it in the same millisecond), then its `acked`; everything else keeps its arrival order.
 */
function causalRank(record: HistoryRecord): number {
  return record.type === 'sent' ? 0 : record.type === 'acked' ? 1 : 2;
}

function before(a: HistoryRecord, b: HistoryRecord): number {
  return timeOf(a) - timeOf(b) || causalRank(a) - causalRank(b);
}

export class Reorder implements Recorder {
  private held: HistoryRecord[] = [];
  /** The newest time released so far: a record older than this arrived too late to be put in order. */
  private releasedUpTo = -Infinity;
  private late = 0;
  private received = 0;
  private flushed = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly next: Recorder,
    private readonly windowMs = REORDER_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => this.releaseDue(), TICK_MS);
    this.timer.unref();
  }

  record(record: HistoryRecord): void {
    this.received++;
    // After the flush nothing is held any more: a last record (a heal on the way out) goes straight through.
    if (this.flushed) return this.next.record(record);
    if (timeOf(record) < this.releasedUpTo) this.late++;
    this.held.push(record);
  }

  /** Records that arrived after newer ones had already been released. */
  lateRecords(): number {
    return this.late;
  }

  /**
   * Why the records cannot be judged in time order, if too many came late: workers that fell further behind their
   * fleet than the window. The judge would then see a camera's welcome after the phase it belongs to had been
   * counted (a storm reported with no camera connected when thousands were) and a user's answers after the
   * access change that followed them.
   */
  lateProblem(): string | undefined {
    if (this.late <= this.received * LATE_SHARE) return undefined;
    const share = `${((100 * this.late) / this.received).toFixed(1)}%`;
    return `${this.late} of ${this.received} records (${share}) reached the judge more than ${this.windowMs / 1000} s after they were made: the workers fell behind their fleet`;
  }

  /** Releases, in order, what has been held for the whole window (the clock does this every TICK_MS). */
  releaseDue(): void {
    this.release(this.now() - this.windowMs);
  }

  /** Releases everything still held, in order, and stops the clock. */
  flush(): void {
    clearInterval(this.timer);
    this.flushed = true;
    this.release(Infinity);
  }

  private release(upTo: number): void {
    if (this.held.length === 0) return;
    // Stable sort: records with equal times and ranks keep their arrival (and so per-stream) order.
    this.held.sort(before);
    let count = 0;
    while (count < this.held.length && timeOf(this.held[count]!) <= upTo) count++;
    if (count === 0) return;
    const ready = this.held.slice(0, count);
    this.held = this.held.slice(count);
    for (const record of ready) {
      this.next.record(record);
      if (timeOf(record) > this.releasedUpTo) this.releasedUpTo = timeOf(record);
    }
  }
}
