/**
 * What the oracle remembers per event: the truth from the camera's `sent` records, the timing bounds of its
 * acceptance, and who was shown it where. Each event is a row of numbers in one Float64Array, not an object: no
 * per-event allocation, nothing for the garbage collector to copy, and one event's fields share a cache line or
 * two. Rare extras (retried sends, a fourth sight, a second delivery waiting for its ack) live in side maps keyed
 * by the event number.
 *
 * Event numbers are handed out in `sent` order and never reused, but the rows live in a ring: the oracle's horizon
 * (horizon.ts) releases the oldest events once their judgement can no longer change, so a soak holds only the
 * events of the last horizon, not of the whole run. Row `n` sits at `n & mask`; the ring doubles when full.
 */
import type { AccessTimeline, CameraTimeline } from '../world/timeline.ts';
import { EventIndex } from './event-index.ts';

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
/**
 * The latest `sent` or `acked` of the event: the horizon counts from here. Sights do not count, so an event a
 * target keeps showing again does not hold every later event in memory; such a sight after release is late.
 */
const LAST = 8;
const WIDTH = 9;
/** `reserve` makes room for at most this many events: a long soak's are mostly released by the horizon. */
const MOST_RESERVED = 1 << 19;

/** Every event sent in the run and not yet released by the horizon, by event number. */
export class EventBook {
  private readonly index: EventIndex;
  private count = 0;
  /** The oldest event still held; every number below it was released. */
  private first = 0;
  private capacity = 1024;
  private mask = 1023;
  private rows = new Float64Array(1024 * WIDTH);
  private eventIds: string[] = new Array<string>(1024);
  private digests: string[] = new Array<string>(1024);
  private checks: string[] = new Array<string>(1024);
  /** Each held event's id hash (EventIndex.insert's), so releasing it need not read its id again. */
  private hashes = new Int32Array(1024);
  private readonly seenMore = new Map<number, number[]>();
  private readonly waitingMore = new Map<number, number[]>();
  /** Digest and check of each later `sent` version, flattened as [digest, check, ...]; retries are rare. */
  private readonly retries = new Map<number, string[]>();

  constructor(private readonly timeline: AccessTimeline) {
    this.index = new EventIndex((n) => this.eventIds[n & this.mask]!);
  }

  /** Events ever added, released ones included. */
  get size(): number {
    return this.count;
  }

  /** The oldest event still held (equal to `size` when none is). */
  get oldest(): number {
    return this.first;
  }

  /** The event's number, or -1 for an event this run never sent or the horizon released. */
  find(eventId: string): number {
    return this.index.find(eventId);
  }

  /** Records a first `sent` (after `find` said -1) of camera number `camera`; returns the new event's number. */
  add(eventId: string, camera: number, sentAt: number, digest: string, check: string): number {
    const n = this.count++;
    if (n - this.first >= this.capacity) this.grow();
    const slot = n & this.mask;
    const rows = this.rows;
    const at = slot * WIDTH;
    rows[at + SENT] = sentAt;
    rows[at + ACKED] = Infinity;
    rows[at + SHOWN] = Infinity;
    rows[at + CAMERA] = camera * 2;
    rows[at + SEEN] = -1;
    rows[at + SEEN + 1] = -1;
    rows[at + SEEN + 2] = -1;
    rows[at + WAITING] = NaN;
    rows[at + LAST] = sentAt;
    this.eventIds[slot] = eventId;
    this.digests[slot] = digest;
    this.checks[slot] = check;
    this.hashes[slot] = this.index.insert(eventId, n);
    return n;
  }

  /** Forgets the oldest event held: its id no longer finds it and its row is free for a new event. */
  releaseOldest(): void {
    const n = this.first++;
    const slot = n & this.mask;
    this.index.delete(this.hashes[slot]!, n);
    // Drop the strings now, not when the slot is reused: an idle soak should not pin the last horizon's ids.
    this.eventIds[slot] = '';
    this.digests[slot] = '';
    this.checks[slot] = '';
    if (this.rows[slot * WIDTH + SEEN + 2] !== -1) this.seenMore.delete(n);
    if (!Number.isNaN(this.rows[slot * WIDTH + WAITING]!)) this.waitingMore.delete(n);
    if (this.retries.size !== 0) this.retries.delete(n);
  }

  eventId(n: number): string {
    return this.eventIds[n & this.mask]!;
  }

  camera(n: number): CameraTimeline {
    return this.timeline.cameraAt(this.cameraNumber(n));
  }

  /** The id of the event's camera. */
  cameraId(n: number): string {
    return this.timeline.cameraIdAt(this.cameraNumber(n));
  }

  /** The one user who ever reaches the event's camera (its owner, for good), or -1: see AccessTimeline.soloUser. */
  soloOf(n: number): number {
    return this.timeline.soloUser(this.cameraNumber(n));
  }

  /** The event's camera by number in the timeline. */
  cameraNumber(n: number): number {
    return this.rows[(n & this.mask) * WIDTH + CAMERA]! >> 1;
  }

  sentAt(n: number): number {
    return this.rows[(n & this.mask) * WIDTH + SENT]!;
  }

  ackedAtOf(n: number): number {
    return this.rows[(n & this.mask) * WIDTH + ACKED]!;
  }

  /** The latest history time that concerned the event. */
  lastTouched(n: number): number {
    return this.rows[(n & this.mask) * WIDTH + LAST]!;
  }

  /** Notes a record about the event at `t` (a retried `sent`), keeping it inside the horizon. */
  touch(n: number, t: number): void {
    const at = (n & this.mask) * WIDTH + LAST;
    if (t > this.rows[at]!) this.rows[at] = t;
  }

  /** The latest moment acceptance can have happened, given what is known so far. */
  acceptedBy(n: number): number {
    const at = (n & this.mask) * WIDTH;
    return Math.min(this.rows[at + ACKED]!, this.rows[at + SHOWN]!);
  }

  /** Notes an ack; true when it is the event's first. */
  ack(n: number, t: number): boolean {
    const row = (n & this.mask) * WIDTH;
    const rows = this.rows;
    const first = rows[row + ACKED] === Infinity;
    if (t < rows[row + ACKED]!) rows[row + ACKED] = t;
    if (t > rows[row + LAST]!) rows[row + LAST] = t;
    return first;
  }

  /** Notes that a call ending at `t` showed the event, which bounds its acceptance. */
  shown(n: number, t: number): void {
    const row = (n & this.mask) * WIDTH;
    const rows = this.rows;
    if (t < rows[row + SHOWN]!) rows[row + SHOWN] = t;
  }

  addVersion(n: number, digest: string, check: string): void {
    if (this.hasVersion(n, digest, check)) return;
    let more = this.retries.get(n);
    if (more === undefined) this.retries.set(n, (more = []));
    more.push(digest, check);
  }

  /** Did the camera send bytes with this digest (and this provenance check value, unless null)? */
  hasVersion(n: number, digest: string, check: string | null): boolean {
    const slot = n & this.mask;
    if (digest === this.digests[slot] && (check === null || check === this.checks[slot])) return true;
    const more = this.retries.get(n);
    if (more === undefined) return false;
    for (let i = 0; i < more.length; i += 2) if (more[i] === digest && (check === null || more[i + 1] === check)) return true;
    return false;
  }

  /** Notes a sight on the list (or the stream): FIRST_SIGHT, SEEN_ELSEWHERE, or DUPLICATE on this surface. */
  see(n: number, user: number, onList: boolean): Sighting {
    const code = user * 2 + (onList ? 1 : 0);
    const rows = this.rows;
    const at = (n & this.mask) * WIDTH + SEEN;
    // Most events are seen by one to three users: the common case is a scan of three numbers in the row.
    const s0 = rows[at]!;
    if (s0 === -1) {
      rows[at] = code;
      return FIRST_SIGHT;
    }
    if (s0 === code || this.has(n, code)) return DUPLICATE;
    const elsewhere = this.has(n, code ^ 1);
    if (rows[at + 1] === -1) rows[at + 1] = code;
    else if (rows[at + 2] === -1) rows[at + 2] = code;
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
    const at = (n & this.mask) * WIDTH + CAMERA;
    const packed = this.rows[at]!;
    if ((packed & 1) === 1) return false;
    this.rows[at] = packed + 1;
    return true;
  }

  /** Keeps a first-delivery time until the ack arrives to measure it against. */
  awaitAck(n: number, shownAt: number): void {
    const at = (n & this.mask) * WIDTH + WAITING;
    if (Number.isNaN(this.rows[at]!)) {
      this.rows[at] = shownAt;
      return;
    }
    const more = this.waitingMore.get(n);
    if (more === undefined) this.waitingMore.set(n, [shownAt]);
    else more.push(shownAt);
  }

  /** The first first-delivery time waiting for this event's ack, or NaN (usually): a number, no array per ack. */
  firstWaiting(n: number): number {
    return this.rows[(n & this.mask) * WIDTH + WAITING]!;
  }

  /** Hands over the event's waiting times: clears the first (see `firstWaiting`) and returns the rare others. */
  takeWaiting(n: number): number[] | undefined {
    this.rows[(n & this.mask) * WIDTH + WAITING] = NaN;
    const more = this.waitingMore.get(n);
    if (more !== undefined) this.waitingMore.delete(n);
    return more;
  }

  private has(n: number, code: number): boolean {
    const at = (n & this.mask) * WIDTH + SEEN;
    const rows = this.rows;
    if (rows[at] === code || rows[at + 1] === code || rows[at + 2] === code) return true;
    return rows[at + 2] !== -1 && this.seenMore.get(n)?.includes(code) === true;
  }

  /**
   * Makes room for `events` held at once (up to a cap) in one step, so a history whose size is known does not
   * grow the ring and the index by doubling, each step a new block of memory for the collector to deal with.
   */
  reserve(events: number): void {
    let capacity = this.capacity;
    while (capacity < Math.min(events, MOST_RESERVED)) capacity *= 2;
    if (capacity > this.capacity) this.grow(capacity);
    this.index.reserve(capacity);
  }

  /** Widens the ring (doubles it by default): every held row moves to its slot under the wider mask. */
  private grow(capacity = this.capacity * 2): void {
    const mask = capacity - 1;
    const rows = new Float64Array(capacity * WIDTH);
    const eventIds = new Array<string>(capacity);
    const digests = new Array<string>(capacity);
    const checks = new Array<string>(capacity);
    const hashes = new Int32Array(capacity);
    // Held events sit in runs that wrap neither ring (at most three): each run moves as one block of rows.
    const old = this.rows;
    const oldMask = this.mask;
    // Rows up to the newest, even one `add` is about to write (copied stale, then overwritten): `reserve` may come between adds.
    const end = this.count;
    for (let n = this.first; n < end; ) {
      const from = n & oldMask;
      const to = n & mask;
      const run = Math.min(end - n, oldMask + 1 - from, capacity - to);
      rows.set(old.subarray(from * WIDTH, (from + run) * WIDTH), to * WIDTH);
      hashes.set(this.hashes.subarray(from, from + run), to);
      for (let k = 0; k < run; k++) {
        eventIds[to + k] = this.eventIds[from + k]!;
        digests[to + k] = this.digests[from + k]!;
        checks[to + k] = this.checks[from + k]!;
      }
      n += run;
    }
    this.capacity = capacity;
    this.mask = mask;
    this.rows = rows;
    this.eventIds = eventIds;
    this.digests = digests;
    this.checks = checks;
    this.hashes = hashes;
  }
}
