/**
 * The oracle's horizon: what keeps a soak's memory flat. An event whose last `sent` or `acked` is more than
 * `horizonMs` of history time old can no longer change its judgement in a healthy run: its would-be leaks settled
 * long ago (the horizon exceeds the settle delay and the grace window), its delivery and latency are known. Such
 * an event is released: its loss is decided there and then ("acked and not shown to any user entitled to it within
 * the horizon", entitlement judged at the moment of release), its row and strings are freed, and only its camera's
 * span of acceptance times stays behind, two numbers per camera.
 *
 * A record naming a released event later is "late". A sight of it (a user re-listing from the start, a target
 * replaying old events) is still judged, by the camera it is labelled with: the user must have had access to that
 * camera over the whole span of its released events and when shown; surely no access is a leak, doubt is unknown,
 * and every late item is counted in the verdict, never silently passed. A `sent` retried after the horizon counts
 * as a new event. Runs shorter than the horizon never release anything, so they are judged exactly as before.
 */
import type { EventBook } from './events.ts';
import { isLost } from './losses.ts';

export class Horizon {
  /** Per camera number: the earliest `sent` and the latest acceptance bound of its released events; NaN for none. */
  private readonly from: Float64Array;
  private readonly to: Float64Array;
  /** Events released so far. */
  released = 0;
  /** Released events decided lost at their release. */
  lost = 0;

  constructor(
    private readonly events: EventBook,
    cameras: number,
    /** How long (history time) after its last `sent` or `acked` an event is kept. */
    readonly horizonMs: number,
  ) {
    this.from = new Float64Array(cameras).fill(NaN);
    this.to = new Float64Array(cameras).fill(NaN);
  }

  /**
   * Releases, oldest first, every event last touched before `now - horizonMs` and numbered below `below` (events
   * a held would-be leak still refers to stay). Stops at the first event still in play: events come in `sent`
   * order, so one slow straggler only delays the release of those after it.
   */
  advance(now: number, below: number): void {
    const events = this.events;
    const cutoff = now - this.horizonMs;
    while (events.oldest < events.size && events.oldest < below && events.lastTouched(events.oldest) < cutoff) {
      const n = events.oldest;
      if (events.ackedAtOf(n) !== Infinity && isLost(events, n, now)) this.lost++;
      const camera = events.cameraNumber(n);
      const sentAt = events.sentAt(n);
      // An event never acked nor shown was accepted, if at all, by the time it was released.
      const acceptedBy = Math.min(events.acceptedBy(n), now);
      if (!(sentAt >= this.from[camera]!)) this.from[camera] = sentAt;
      if (!(acceptedBy <= this.to[camera]!)) this.to[camera] = acceptedBy;
      events.releaseOldest();
      this.released++;
    }
  }

  /** The earliest acceptance of camera `camera`'s released events; NaN when it has none. */
  retiredFrom(camera: number): number {
    return this.from[camera]!;
  }

  /** The latest acceptance bound of camera `camera`'s released events; NaN when it has none. */
  retiredTo(camera: number): number {
    return this.to[camera]!;
  }
}
