/**
 * The leak oracle: judges every item every user was shown against docs/protocol.md's access rule. User U may see
 * event E of camera C only if U had access to C both when the target accepted E and when U was shown E.
 *
 * Incremental and pure: fed the history one record at a time (`observe`), O(1) per item, no I/O, no clock (times
 * come from the records), no randomness; `verdict(endTime)` answers at the end. An item is a leak only when the
 * rule is surely broken ('no' at either moment); 'either' (a grace window, a failed admin call) is accepted.
 *
 * Acceptance of E happened between its first `sent` and the earlier of its `acked` and the first call that
 * showed it (a push can beat the ack to the harness). A would-be leak waits `settleMs` of history time before it
 * counts, because the `access` or `acked` record that excuses it may be written after it.
 */
import type { HistoryRecord, Surface } from '../world/history.ts';
import { AccessTimeline, type CameraTimeline, type Tri } from '../world/timeline.ts';
import type { World } from '../world/types.ts';
import { RunContext } from './context.ts';
import { DUPLICATE, EventBook, FIRST_SIGHT } from './events.ts';
import { HeldItems } from './held.ts';
import { Horizon } from './horizon.ts';
import { LatencyRecorder } from './latency.ts';
import { Presence } from './presence.ts';
import { LeakLedger, type Candidate } from './leaks.ts';
import { countLosses } from './losses.ts';
import { identifyBytes } from './thumbnail.ts';
import { composeVerdict, emptyTally, type Tally } from './compose.ts';
import { defaultOracleOptions, type BySurface, type OracleOptions, type Verdict } from './verdict.ts';

type Shown = Extract<HistoryRecord, { type: 'shown' }>;
type CameraList = Extract<HistoryRecord, { type: 'cameras' }>;
type ThumbnailFetch = Extract<HistoryRecord, { type: 'thumbnail' }>;
type Extra = Pick<Candidate, 'requestedEventId' | 'labelledCameraId' | 'probe'>;

/** What a thumbnail call asked for, for the evidence: built only for an item held as a would-be leak. */
function thumbnailCall(record: ThumbnailFetch): Extra {
  return { requestedEventId: record.eventId, labelledCameraId: record.cameraId, probe: record.probe };
}

/** How often (history time) the horizon looks for events to release: often enough, without a scan per record. */
const RELEASE_EVERY_MS = 1000;

/** The time a record describes, for ordering and for the end of the run. */
export function recordTime(record: HistoryRecord): number {
  return record.type === 'access' ? record.end : record.t;
}

export class Oracle {
  private readonly options: OracleOptions;
  private readonly timeline: AccessTimeline;
  private readonly context = new RunContext();
  private readonly events: EventBook;
  private readonly horizon: Horizon;
  private readonly latency = new LatencyRecorder();
  private readonly presence: Presence;
  private readonly tally: Tally = emptyTally();
  private readonly leaks: LeakLedger;
  private readonly held = new HeldItems();
  /** `settleHeld` bound once: it is handed to the queue on every record that finds items waiting. */
  private readonly settleOne = (candidate: Candidate): void => this.settleHeld(candidate);
  /**
   * The call being judged (start and end of the request that showed the items), set once per record: the hot
   * path reads these fields rather than passing times as arguments, since a double passed to a function that is
   * not inlined is boxed on the heap, several allocations per item.
   */
  private callStart = 0;
  private callEnd = 0;
  private watermark = -Infinity;
  /** The latest time among records other than access changes: what the horizon counts from. */
  private releaseClock = -Infinity;
  private nextRelease = -Infinity;
  private failure: string | null = null;
  /** When the first item was checked (history time): no leak can be counted before it is `settleMs` old. */
  private firstCheckedAt = Infinity;
  /** Every access record was observed already (`accessFedFirst`): ones seen again are skipped. */
  private accessDone = false;

  constructor(
    private readonly world: World,
    options: Partial<OracleOptions> = {},
  ) {
    this.options = { ...defaultOracleOptions, ...options };
    const { settleMs, horizonMs } = this.options;
    if (!(horizonMs > settleMs + world.graceMs)) {
      throw new Error(`the oracle's horizon (${horizonMs} ms) must exceed its settle delay plus the grace window (${settleMs + world.graceMs} ms)`);
    }
    this.timeline = new AccessTimeline(world);
    this.presence = new Presence(world.users.length);
    this.events = new EventBook(this.timeline);
    this.horizon = new Horizon(this.events, world.cameras.length, horizonMs);
    this.leaks = new LeakLedger(this.events, this.tally, this.options.maxEvidence);
  }

  /** Takes the next history record. Never throws: a record it cannot handle makes the verdict unknown. */
  observe(record: HistoryRecord): void {
    try {
      this.dispatch(record);
      if (this.held.firstShownAt <= this.watermark - this.options.settleMs) this.held.settleUpTo(this.watermark - this.options.settleMs, this.settleOne);
      if (this.releaseClock >= this.nextRelease) {
        this.nextRelease = this.releaseClock + RELEASE_EVERY_MS;
        this.horizon.advance(this.releaseClock, this.held.waiting > 0 ? this.held.lowestEvent() : Infinity);
      }
    } catch (error) {
      this.failure ??= `${error instanceof Error ? error.message : String(error)} (at a ${String(record?.type)} record)`;
      const t = typeof record === 'object' && record !== null ? recordTime(record) : NaN;
      if (t > this.watermark) this.watermark = t;
    }
  }

  /** Makes room for about this many events (the `sent` records of a history about to be fed) in one step. */
  expectEvents(count: number): void {
    this.events.reserve(count);
  }

  /**
   * Says every access record of the history has been observed, so `feed` can hand over the whole history again
   * without picking them out: reading each record's type there as well as here would cost a second lookup in
   * V8's megamorphic cache per record (records come in a dozen shapes). Access records seen from now on are skipped.
   */
  accessFedFirst(): void {
    this.accessDone = true;
  }

  /** The latest time among the records observed: the end of the history so far. */
  latestTime(): number {
    return this.watermark;
  }

  /**
   * Live counters: exact for everything settled, leaks still waiting on late records not yet counted. `judged` is
   * false until some item checked is `settleMs` old: before that a leak count of 0 says nothing.
   */
  progress(): { checked: number; leaks: number; unknown: number; waiting: number; judged: boolean } {
    const { checked, leaks, unknown } = this.tally;
    const judged = this.firstCheckedAt <= this.watermark - this.options.settleMs;
    return { checked: checked.total, leaks: leaks.total, unknown, waiting: this.held.waiting, judged };
  }

  /** Live items checked and leaks counted so far, by surface (copies: the caller may keep them). */
  bySurface(): { checked: BySurface; leaks: BySurface } {
    const { checked, leaks } = this.tally;
    return { checked: { list: checked.list, stream: checked.stream, thumbnail: checked.thumbnail, cameras: checked.cameras }, leaks: { ...leaks.bySurface } };
  }

  /** The answer for the run, `endTime` being the end of its history. Settles everything still waiting. */
  verdict(endTime: number): Verdict {
    try {
      this.held.settleUpTo(Infinity, this.settleOne);
      const lost = this.horizon.lost + countLosses(this.events, endTime - this.world.graceMs, endTime);
      const evidence = this.leaks.evidence(this.context);
      return composeVerdict(this.tally, {
        lost,
        ...this.leaks.distinct(),
        latency: this.latency.histogramNow(),
        evidence,
        failure: this.failure,
        options: this.options,
      });
    } catch (error) {
      this.failure ??= error instanceof Error ? error.message : String(error);
      return composeVerdict(emptyTally(), { failure: this.failure, options: this.options });
    }
  }

  /**
   * Judges one record and moves the watermark to its time, read where the record's shape is known: a time read
   * from records of a dozen shapes, or returned from here, would be boxed on the heap for every record.
   */
  private dispatch(record: HistoryRecord): void {
    let t: number;
    switch (record.type) {
      case 'shown':
        this.observeShown(record);
        t = record.t;
        break;
      case 'sent':
        this.observeSent(record);
        t = record.t;
        break;
      case 'acked':
        this.observeAcked(record);
        t = record.t;
        break;
      case 'thumbnail':
        this.observeThumbnail(record);
        t = record.t;
        break;
      case 'cameras':
        this.observeCameras(record);
        t = record.t;
        break;
      case 'access':
        if (this.accessDone) return;
        // Not a tick of the release clock: `judge` feeds every access record first, so their times run ahead.
        this.timeline.apply(record);
        if (record.end > this.watermark) this.watermark = record.end;
        return;
      case 'phase':
        this.context.observePhase(record);
        t = record.t;
        break;
      case 'fault':
        this.context.observeFault(record);
        t = record.t;
        break;
      case 'user':
        if (record.state === 'login') this.presence.login(this.timeline.userNumber(record.userId), record.t);
        t = record.t;
        break;
      case 'camera':
      case 'error':
      case 'down':
      case 'load':
      case 'end':
        t = record.t;
        break;
      default:
        throw new Error(`unknown history record type ${String((record as { type?: unknown }).type)}`);
    }
    if (t > this.watermark) this.watermark = t;
    if (t > this.releaseClock) this.releaseClock = t;
  }

  private observeSent(record: Extract<HistoryRecord, { type: 'sent' }>): void {
    const known = this.events.find(record.eventId);
    if (known !== -1) {
      this.events.touch(known, record.t);
      return this.events.addVersion(known, record.digest, record.check);
    }
    // By number: building the camera's timeline is left to a question only a shared or changed camera raises.
    const camera = this.timeline.cameraNumber(record.cameraId);
    if (camera === -1) {
      this.tally.unknown++;
      return;
    }
    this.events.add(record.eventId, camera, record.t, record.digest, record.check);
    this.tally.events.emitted++;
  }

  private observeAcked(record: Extract<HistoryRecord, { type: 'acked' }>): void {
    const event = this.events.find(record.eventId);
    if (event === -1) {
      // After the horizon released events, an ack for one we no longer hold is late, not a stranger's.
      if (this.horizon.released > 0) this.tally.late++;
      else this.tally.unknown++;
      return;
    }
    if (this.events.ack(event, record.t)) {
      this.tally.events.acked++;
      const first = this.events.firstWaiting(event);
      if (!Number.isNaN(first)) {
        this.latency.record(first - record.t);
        const more = this.events.takeWaiting(event);
        if (more !== undefined) for (const shownAt of more) this.latency.record(shownAt - record.t);
      }
    }
  }

  private observeShown(record: Shown): void {
    const user = this.timeline.userNumber(record.userId);
    const list = record.surface === 'list';
    const shownEvents = record.events;
    const items = shownEvents.length;
    const tally = this.tally;
    if (items > 0 && this.firstCheckedAt === Infinity) this.firstCheckedAt = record.t;
    tally.checked.total += items;
    if (list) tally.checked.list += items;
    else tally.checked.stream += items;
    const events = this.events;
    const timeline = this.timeline;
    this.callStart = record.start;
    this.callEnd = record.t;
    for (let i = 0; i < items; i++) {
      const shown = shownEvents[i]!;
      const event = events.find(shown.eventId);
      if (event === -1 || user === -1) {
        if (user === -1 || !this.judgeLate(user, record.userId, shown.eventId, shown.cameraId, record.surface)) tally.unknown++;
        continue;
      }
      const camera = events.cameraNumber(event);
      if (shown.cameraId !== timeline.cameraIdAt(camera)) tally.mismatches++;
      events.shown(event, this.callEnd);
      const sighting = events.see(event, user, list);
      if (sighting === DUPLICATE) tally.duplicates++;
      // The common case, a camera only its owner ever sees, shown to that owner: one array read, no object.
      const solo = timeline.soloUser(camera);
      if (solo === user) {
        if (sighting === FIRST_SIGHT) this.deliver(event, user);
      } else this.judgeEvent(user, record.userId, event, solo, record.surface, sighting === FIRST_SIGHT);
    }
  }

  private observeThumbnail(record: ThumbnailFetch): void {
    if (record.probe) this.tally.probes.sent++;
    if (record.status === 404 || record.status === 403) {
      if (record.probe) this.tally.probes.refused++;
      return;
    }
    if (record.status !== 200) return; // an error answer shows nothing; drivers count those as errors
    if (record.probe) this.tally.probes.notRefused++;
    if (this.firstCheckedAt === Infinity) this.firstCheckedAt = record.t;
    this.tally.checked.total++;
    this.tally.checked.thumbnail++;
    const user = this.timeline.userNumber(record.userId);
    this.callStart = record.start;
    this.callEnd = record.t;
    const event = identifyBytes(record, this.events, this.world.runId);
    if (event === -1 || user === -1) {
      // Bytes of this run whose event the horizon released are judged by the camera their provenance names.
      const provenance = record.provenance;
      const late =
        user !== -1 &&
        provenance?.runId === this.world.runId &&
        this.events.find(provenance.eventId) === -1 &&
        this.judgeLate(user, record.userId, provenance.eventId, provenance.cameraId, 'thumbnail', thumbnailCall(record));
      if (!late) this.tally.unknown++;
      return;
    }
    const cameraId = this.events.cameraId(event);
    if (this.events.eventId(event) !== record.eventId || (record.cameraId !== undefined && record.cameraId !== cameraId)) {
      this.tally.mismatches++;
    }
    this.events.shown(event, record.t);
    this.judgeEvent(user, record.userId, event, this.timeline.soloUser(this.events.cameraNumber(event)), 'thumbnail', false, record);
  }

  private observeCameras(record: CameraList): void {
    const user = this.timeline.userNumber(record.userId);
    const listed = record.cameras;
    const count = listed.length;
    const tally = this.tally;
    const timeline = this.timeline;
    if (count > 0 && this.firstCheckedAt === Infinity) this.firstCheckedAt = record.t;
    tally.checked.total += count;
    tally.checked.cameras += count;
    for (let i = 0; i < count; i++) {
      const entry = listed[i]!;
      const number = timeline.cameraNumber(entry.cameraId);
      if (number === -1 || user === -1) {
        tally.unknown++;
        continue;
      }
      // Most entries: the user's own camera, nobody else's ever. Access and ownership are 'yes' throughout: only
      // the role shown can be wrong, and nothing about the camera but its number needs touching.
      if (timeline.soloUser(number) === user) {
        if (entry.role === 'shared') tally.roleErrors++;
        continue;
      }
      const camera = timeline.cameraAt(number);
      // The user's answers looked up once by number: both questions below read them, no id is hashed again.
      const answers = camera.userAt(user);
      const access = answers.access(record.start, record.t);
      if (access === 'no') {
        this.held.hold({ user, userId: record.userId, camera, event: -1, surface: 'cameras', start: record.start, t: record.t, first: false });
      } else if (access === 'yes') {
        const owner = answers.owner(record.start, record.t);
        if ((entry.role === 'owner' && owner === 'no') || (entry.role === 'shared' && owner === 'yes')) tally.roleErrors++;
      }
    }
  }

  /** Two timeline questions about the current call (none for a camera only its owner sees); an object only for a would-be leak. */
  private judgeEvent(user: number, userId: string, event: number, solo: number, surface: Surface, first: boolean, thumbnail?: ThumbnailFetch): void {
    const events = this.events;
    if (solo === user) {
      if (first) this.deliver(event, user);
      return;
    }
    const start = this.callStart;
    const t = this.callEnd;
    const camera = events.camera(event);
    let atAcceptance: Tri = 'no';
    let atShown: Tri = 'no';
    if (solo === -1) {
      const access = camera.userAt(user);
      atAcceptance = access.access(events.sentAt(event), events.acceptedBy(event));
      atShown = access.access(start, t);
    }
    // An uncertain acceptance may still turn into a sure 'no' once the ack narrows it down: hold that one too.
    const ackMayConvict = atAcceptance === 'either' && events.ackedAtOf(event) === Infinity;
    if (atAcceptance === 'no' || atShown === 'no' || ackMayConvict) {
      this.held.hold({ user, userId, camera, event, surface, start, t, first, ...(thumbnail && thumbnailCall(thumbnail)) });
    } else if (first) this.deliver(event, user);
  }

  /**
   * A sight of an event the book does not hold. Once the horizon has released events of the camera it is
   * labelled with, it may be one of them: judged by that camera over the span of their acceptance (see
   * horizon.ts). False when it cannot be one (the caller counts it unknown, as an event never sent).
   */
  private judgeLate(user: number, userId: string, eventId: string, cameraId: string | undefined, surface: Surface, extra?: Extra): boolean {
    const start = this.callStart;
    const t = this.callEnd;
    const camera: CameraTimeline | undefined = cameraId === undefined ? undefined : this.timeline.camera(cameraId);
    if (camera === undefined) return false;
    const from = this.horizon.retiredFrom(camera.number);
    const to = this.horizon.retiredTo(camera.number);
    if (Number.isNaN(from)) return false;
    this.tally.late++;
    const access = camera.userAt(user);
    if (access.access(from, to) !== 'yes' || access.access(start, t) !== 'yes') {
      this.held.hold({ user, userId, camera, event: -1, surface, start, t, first: false, late: { eventId, from, to }, ...extra });
    }
    return true;
  }

  /** Judges a held item again with everything now known: a sure 'no' is a leak, doubt about a late item is unknown. */
  private settleHeld(c: Candidate): void {
    const access = c.camera.userAt(c.user);
    const atShown = access.access(c.start, c.t);
    let atAcceptance: Tri = atShown;
    if (c.late !== undefined) atAcceptance = access.access(c.late.from, c.late.to);
    else if (c.event !== -1) atAcceptance = access.access(this.events.sentAt(c.event), this.events.acceptedBy(c.event));
    if (atAcceptance === 'no' || atShown === 'no') this.leaks.convict(c, atAcceptance === 'no', atShown === 'no');
    else if (c.late !== undefined) {
      // Nobody can tell which of the camera's released events this was: an answer that depends on it is unknown.
      if (atAcceptance === 'either' || atShown === 'either') this.tally.unknown++;
    } else if (c.first && c.event !== -1) {
      this.callEnd = c.t;
      this.deliver(c.event, c.user);
    }
  }

  /** Entitled user `user`'s first sight of an event on the list or the stream, at the end of the current call. */
  private deliver(event: number, user: number): void {
    const shownAt = this.callEnd;
    if (this.events.deliver(event)) this.tally.events.delivered++;
    const ackedAt = this.events.ackedAtOf(event);
    if (ackedAt === Infinity) return this.events.awaitAck(event, shownAt);
    // Almost always the user was there at the ack; the users who may share the event are looked up only if not.
    if (!this.presence.cameAfter(user, ackedAt)) return this.latency.record(shownAt - ackedAt);
    const others = this.events.soloOf(event) === user ? undefined : this.events.camera(event).usersByNumber();
    this.latency.record(shownAt - this.presence.deliverableFrom(ackedAt, user, others));
  }
}
