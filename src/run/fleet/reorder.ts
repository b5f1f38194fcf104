/**
 * Puts records that arrive through the collector back in time order before the oracle sees them. A fleet in the
 * run's own process records each observation the moment it happens; worker processes batch theirs, so a user's
 * `shown` from one worker can reach the collector before the camera's `sent` of the same event from another, which
 * the oracle would count as an item it cannot judge. Records are held for a short window and released oldest
 * first; whatever arrives later than the window still goes through, and is counted.
 *
 * The window runs on each worker's own account of what it has shipped (`shipped`), not only on the run's clock: a
 * worker starved of CPU in a reconnect burst ships seconds late, and a window on the run's clock alone released
 * newer records before its older ones arrived (a 10,001-client storm: 16% of records late, none more than 8 s),
 * so the run could not be judged although every record came. Nothing is held longer than MOST_HELD_MS.
 */
import type { HistoryRecord, Recorder } from '../../world/history.ts';

/** Longer than a worker's flush interval plus a slow collector round trip. */
export const REORDER_WINDOW_MS = 3000;
const TICK_MS = 200;
/** The longest a record waits for a worker that says nothing: one that died or lost a batch must not hold the run's memory. */
export const MOST_HELD_MS = 30_000;
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
  /** Per worker: the time up to which it has shipped everything it recorded (its clock, as its records' times are). */
  private readonly marks = new Map<number, number>();
  private behind = 0;

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
   * fleet than anything is held for. The judge would then see a camera's welcome after the phase it belongs to had been
   * counted (a storm reported with no camera connected when thousands were) and a user's answers after the
   * access change that followed them.
   */
  lateProblem(): string | undefined {
    if (this.late <= this.received * LATE_SHARE) return undefined;
    const share = `${((100 * this.late) / this.received).toFixed(1)}%`;
    return `${this.late} of ${this.received} records (${share}) reached the judge after newer ones had been judged: the workers fell more than ${MOST_HELD_MS / 1000} s behind their fleet, or stopped saying how far they had shipped`;
  }

  /**
   * Worker `worker` has shipped every record it made before `through`; it is waited for until it says more. Its
   * records are still held for the window after that, for those stamped a little before they were recorded.
   */
  shipped(worker: number, through: number): void {
    if (!(through <= this.marks.get(worker)!)) this.marks.set(worker, through);
  }

  /** Worker `worker` is done shipping: it is no longer waited for. */
  done(worker: number): void {
    this.marks.delete(worker);
  }

  /**
   * Releases, in order, what has been held for the whole window (the clock does this every TICK_MS): the window
   * counts from the slowest worker's last word, or from now when every worker is ahead of the clock.
   */
  releaseDue(): void {
    const now = this.now();
    let slowest = now;
    for (const mark of this.marks.values()) if (mark < slowest) slowest = mark;
    if (now - slowest > this.behind) this.behind = now - slowest;
    this.release(Math.max(slowest - this.windowMs, now - MOST_HELD_MS));
  }

  /**
   * The furthest the slowest worker was seen behind the run's clock (ms): a worker that far behind also handled
   * its fleet's messages late, so the times it measured then (latencies, reconnects) include its own delay.
   */
  mostBehindMs(): number {
    return this.behind;
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
