/**
 * Would-be leaks waiting for late records: a queue in arrival order, judged again once the history has moved
 * `settleMs` past them. Only would-be leaks get here, so it stays short; it is compacted as its head advances.
 */
import type { Candidate } from './leaks.ts';

export class HeldItems {
  private items: Candidate[] = [];
  private head = 0;
  /**
   * When the first item waiting was shown (Infinity for none). A field, so the oracle's check on every record
   * compares it in place rather than calling in with a time (a double argument would be boxed on the heap).
   */
  firstShownAt = Infinity;

  get waiting(): number {
    return this.items.length - this.head;
  }

  hold(candidate: Candidate): void {
    this.items.push(candidate);
    if (this.items.length - this.head === 1) this.firstShownAt = candidate.t;
  }

  /**
   * Hands each held item shown at or before `upTo` to `settle`, in arrival order. Stops at the first one too
   * recent: one that arrived after it waits a little longer, which can only let more late records excuse it.
   */
  settleUpTo(upTo: number, settle: (candidate: Candidate) => void): void {
    const items = this.items;
    while (this.head < items.length && items[this.head]!.t <= upTo) settle(items[this.head++]!);
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.firstShownAt = this.head < this.items.length ? this.items[this.head]!.t : Infinity;
  }

  /** The lowest event number a waiting item refers to (Infinity for none): the horizon must keep it. */
  lowestEvent(): number {
    let lowest = Infinity;
    const items = this.items;
    for (let i = this.head; i < items.length; i++) {
      const event = items[i]!.event;
      if (event !== -1 && event < lowest) lowest = event;
    }
    return lowest;
  }
}
