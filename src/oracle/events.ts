/**
 * What the oracle remembers per event: the truth from the camera's `sent` records, the timing bounds of its
 * acceptance, and who was shown it where. This is the state that grows with the run (one slot per event sent),
 * so each event is a row of 8 numbers in one Float64Array, not an object: no per-event allocation, nothing for
 * the garbage collector to copy, and one event's fields share a cache line or two. Rare extras (retried sends,
 * a fourth sight, a second delivery waiting for its ack) live in side maps keyed by the event number.
 *
 * A soak run could window it: once an event's ack is older than `settleMs` plus the longest delivery still worth
 * judging, count its loss and recycle its row. We keep every event because a run's loss count needs them all.
 */
import type { AccessTimeline, CameraTimeline } from '../world/timeline.ts';

export const FIRST_SIGHT = 0;
export const SEEN_ELSEWHERE = 1;
export const DUPLICATE = 2;
/** How a user's sight of an event relates to earlier ones: new, already seen on the other surface, or again. */
export type Sighting = typeof FIRST_SIGHT | typeof SEEN_ELSEWHERE | typeof DUPLICATE;

// The columns of an event's row.
/** The target accepted the event at or after this (the first `sent`). */
const SENT = 0;
/** The first `acked`; Infinity until it arrives. */
const ACKED = 1;
/** The earliest end of any call that showed the event; the target must have accepted it by then. */
const SHOWN = 2;
/** The camera's number in the timeline * 2, plus 1 once an entitled user was shown it on the list or the stream. */
const CAMERA = 3;
/** Who was shown it where, as codes (user index * 2, plus 1 on the list); -1 for none. More go to `seenMore`. */
const SEEN = 4;
const SEEN_SLOTS = 3;
/** A first-delivery time waiting for the ack to be measured against; NaN for none. */
const WAITING = 7;
const WIDTH = 8;

/** Every event sent in the run, by event number. Numbers are dense and handed out in `sent` order. */
export class EventBook {
  private readonly numbers = new Map<string, number>();
  private count = 0;
  private rows = new Float64Array(1024 * WIDTH);
  private readonly seenMore = new Map<number, number[]>();
  private readonly waitingMore = new Map<number, number[]>();
  private readonly eventIds: string[] = [];
  private readonly digests: string[] = [];
  private readonly checks: string[] = [];
  /** Digest and check of each later `sent` version, flattened as [digest, check, ...]; retries are rare. */
  private readonly retries = new Map<number, string[]>();

  constructor(private readonly timeline: AccessTimeline) {}

  get size(): number {
    return this.count;
  }

  /** The event's number, or -1 for an event this run never sent. */
  find(eventId: string): number {
    return this.numbers.get(eventId) ?? -1;
  }

  /** Records a first `sent`; returns the new event's number. */
  add(eventId: string, camera: CameraTimeline, sentAt: number, digest: string, check: string): number {
    const n = this.count++;
    if ((n + 1) * WIDTH > this.rows.length) {
      const rows = new Float64Array(this.rows.length * 2);
      rows.set(this.rows);
      this.rows = rows;
    }
    const rows = this.rows;
    const at = n * WIDTH;
    rows[at + SENT] = sentAt;
    rows[at + ACKED] = Infinity;
    rows[at + SHOWN] = Infinity;
    rows[at + CAMERA] = camera.number * 2;
    for (let slot = 0; slot < SEEN_SLOTS; slot++) rows[at + SEEN + slot] = -1;
    rows[at + WAITING] = NaN;
    this.numbers.set(eventId, n);
    this.eventIds.push(eventId);
    this.digests.push(digest);
    this.checks.push(check);
    return n;
  }

  eventId(n: number): string {
    return this.eventIds[n]!;
  }

  camera(n: number): CameraTimeline {
    return this.timeline.cameraAt(this.cameraNumber(n));
  }

  /** The event's camera by number in the timeline. */
  cameraNumber(n: number): number {
    return this.rows[n * WIDTH + CAMERA]! >> 1;
  }

  sentAt(n: number): number {
    return this.rows[n * WIDTH + SENT]!;
  }

  ackedAtOf(n: number): number {
    return this.rows[n * WIDTH + ACKED]!;
  }

  /** The latest moment acceptance can have happened, given what is known so far. */
  acceptedBy(n: number): number {
    const at = n * WIDTH;
    return Math.min(this.rows[at + ACKED]!, this.rows[at + SHOWN]!);
  }

  /** Notes an ack; true when it is the event's first. */
  ack(n: number, t: number): boolean {
    const at = n * WIDTH + ACKED;
    const first = this.rows[at] === Infinity;
    if (t < this.rows[at]!) this.rows[at] = t;
    return first;
  }

  /** Notes that a call ending at `t` showed the event, which bounds its acceptance. */
  shown(n: number, t: number): void {
    const at = n * WIDTH + SHOWN;
    if (t < this.rows[at]!) this.rows[at] = t;
  }

  addVersion(n: number, digest: string, check: string): void {
    if (this.hasVersion(n, digest, check)) return;
    let more = this.retries.get(n);
    if (more === undefined) this.retries.set(n, (more = []));
    more.push(digest, check);
  }

  /** Did the camera send bytes with this digest (and this provenance check value, unless null)? */
  hasVersion(n: number, digest: string, check: string | null): boolean {
    if (digest === this.digests[n] && (check === null || check === this.checks[n])) return true;
    const more = this.retries.get(n);
    if (more === undefined) return false;
    for (let i = 0; i < more.length; i += 2) if (more[i] === digest && (check === null || more[i + 1] === check)) return true;
    return false;
  }

  /** Notes a sight on the list (or the stream): FIRST_SIGHT, SEEN_ELSEWHERE, or DUPLICATE on this surface. */
  see(n: number, user: number, onList: boolean): Sighting {
    const code = user * 2 + (onList ? 1 : 0);
    if (this.has(n, code)) return DUPLICATE;
    const elsewhere = this.has(n, code ^ 1);
    const at = n * WIDTH + SEEN;
    let slot = 0;
    while (slot < SEEN_SLOTS && this.rows[at + slot] !== -1) slot++;
    if (slot < SEEN_SLOTS) this.rows[at + slot] = code;
    else {
      const more = this.seenMore.get(n);
      if (more === undefined) this.seenMore.set(n, [code]);
      else more.push(code);
    }
    return elsewhere ? SEEN_ELSEWHERE : FIRST_SIGHT;
  }

  /** Was user `user` shown it on the list or the stream (leak or not)? */
  reached(n: number, user: number): boolean {
    return this.has(n, user * 2) || this.has(n, user * 2 + 1);
  }

  /** Marks the event delivered to an entitled user; true the first time. */
  deliver(n: number): boolean {
    const at = n * WIDTH + CAMERA;
    const packed = this.rows[at]!;
    if ((packed & 1) === 1) return false;
    this.rows[at] = packed + 1;
    return true;
  }

  /** Keeps a first-delivery time until the ack arrives to measure it against. */
  awaitAck(n: number, shownAt: number): void {
    const at = n * WIDTH + WAITING;
    if (Number.isNaN(this.rows[at]!)) {
      this.rows[at] = shownAt;
      return;
    }
    const more = this.waitingMore.get(n);
    if (more === undefined) this.waitingMore.set(n, [shownAt]);
    else more.push(shownAt);
  }

  /** The first-delivery times that were waiting for this event's ack, now handed over (usually none). */
  takeWaiting(n: number): number[] | undefined {
    const at = n * WIDTH + WAITING;
    const first = this.rows[at]!;
    if (Number.isNaN(first)) return undefined;
    this.rows[at] = NaN;
    const more = this.waitingMore.get(n);
    if (more === undefined) return [first];
    this.waitingMore.delete(n);
    return [first, ...more];
  }

  private has(n: number, code: number): boolean {
    const at = n * WIDTH + SEEN;
    const rows = this.rows;
    if (rows[at] === code || rows[at + 1] === code || rows[at + 2] === code) return true;
    return rows[at + 2] !== -1 && this.seenMore.get(n)?.includes(code) === true;
  }
}
