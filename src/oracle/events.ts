/**
 * What the oracle remembers per event: the truth from the camera's `sent` records, the timing bounds of its
 * acceptance, and who was shown it where. Compact on purpose (numbers and small arrays of user indices, no
 * object per receipt), because this is the state that grows with the run: one entry per event sent. A soak run
 * could window it by dropping events acked longer ago than `settleMs` + the longest a late delivery is still
 * judged, after settling their losses; we keep them all because a run's loss count needs every event.
 */
import type { CameraTimeline } from '../world/timeline.ts';

export class EventState {
  /** The time the target accepted the event is at or after this (the first `sent`). */
  readonly firstSent: number;
  /** The first `acked`; Infinity until it arrives. */
  ackedAt = Infinity;
  /** The earliest end of any call that showed the event; the target must have accepted it by then. */
  firstShownAt = Infinity;
  /** Users (by index) shown the event on each surface, for duplicates, delivery and losses. */
  readonly list: number[] = [];
  readonly stream: number[] = [];
  /** Whether an entitled user was ever shown it on the list or the stream. */
  delivered = false;
  /** First-delivery times seen before the ack arrived; turned into latency samples when it does. */
  pendingLatency: number[] | null = null;
  /** Digest and check of each later `sent` version (retries), flattened as [digest, check, ...]. */
  private retries: string[] | null = null;

  constructor(
    readonly cameraId: string,
    readonly camera: CameraTimeline,
    sentAt: number,
    private readonly digest: string,
    private readonly check: string,
  ) {
    this.firstSent = sentAt;
  }

  /** The latest moment acceptance can have happened, given what is known so far. */
  get acceptedBy(): number {
    return Math.min(this.ackedAt, this.firstShownAt);
  }

  addVersion(digest: string, check: string): void {
    if (this.hasVersion(digest, check)) return;
    (this.retries ??= []).push(digest, check);
  }

  /** Did the camera send bytes with this digest and this provenance check value? */
  hasVersion(digest: string, check: string | null): boolean {
    if (digest === this.digest && (check === null || check === this.check)) return true;
    const retries = this.retries;
    if (retries === null) return false;
    for (let i = 0; i < retries.length; i += 2) {
      if (retries[i] === digest && (check === null || retries[i + 1] === check)) return true;
    }
    return false;
  }

  /** Was user `user` shown it on the list or the stream (leak or not)? */
  reached(user: number): boolean {
    return this.list.includes(user) || this.stream.includes(user);
  }
}
