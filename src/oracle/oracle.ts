/**
 * The leak oracle: judges every item every user was shown against PROTOCOL.md's access rule. User U may see
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
import * as hdr from 'hdr-histogram-js';
import type { HistoryRecord, Surface } from '../world/history.ts';
import { AccessTimeline, type Tri } from '../world/timeline.ts';
import type { World } from '../world/types.ts';
import { RunContext } from './context.ts';
import { DUPLICATE, EventBook, FIRST_SIGHT } from './events.ts';
import { LeakLedger, type Candidate } from './leaks.ts';
import { countLosses } from './losses.ts';
import { identifyBytes } from './thumbnail.ts';
import { composeVerdict, emptyTally, type Tally } from './compose.ts';
import { defaultOracleOptions, type BySurface, type OracleOptions, type Verdict } from './verdict.ts';

type Shown = Extract<HistoryRecord, { type: 'shown' }>;
type CameraList = Extract<HistoryRecord, { type: 'cameras' }>;
type ThumbnailFetch = Extract<HistoryRecord, { type: 'thumbnail' }>;

/** The time a record describes, for ordering and for the end of the run. */
export function recordTime(record: HistoryRecord): number {
  return record.type === 'access' ? record.end : record.t;
}

export class Oracle {
  private readonly options: OracleOptions;
  private readonly timeline: AccessTimeline;
  private readonly context = new RunContext();
  private readonly events: EventBook;
  private readonly latency = hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });
  private readonly tally: Tally = emptyTally();
  private readonly leaks: LeakLedger;
  private pending: Candidate[] = [];
  private pendingHead = 0;
  private watermark = -Infinity;
  private failure: string | null = null;

  constructor(
    private readonly world: World,
    options: Partial<OracleOptions> = {},
  ) {
    this.options = { ...defaultOracleOptions, ...options };
    this.timeline = new AccessTimeline(world);
    this.events = new EventBook(this.timeline);
    this.leaks = new LeakLedger(this.events, this.tally, this.options.maxEvidence);
  }

  /** Takes the next history record. Never throws: a record it cannot handle makes the verdict unknown. */
  observe(record: HistoryRecord): void {
    try {
      this.dispatch(record);
      const t = recordTime(record);
      if (t > this.watermark) this.watermark = t;
      if (this.pendingHead < this.pending.length) this.settle(false);
    } catch (error) {
      this.failure ??= `${error instanceof Error ? error.message : String(error)} (at a ${String(record?.type)} record)`;
    }
  }

  /** Live counters: exact for everything settled, leaks still waiting on late records not yet counted. */
  progress(): { checked: number; leaks: number; unknown: number; waiting: number } {
    const { checked, leaks, unknown } = this.tally;
    return { checked: checked.total, leaks: leaks.total, unknown, waiting: this.pending.length - this.pendingHead };
  }

  /** Live items checked and leaks counted so far, by surface (copies: the caller may keep them). */
  bySurface(): { checked: BySurface; leaks: BySurface } {
    const { checked, leaks } = this.tally;
    return { checked: { list: checked.list, stream: checked.stream, thumbnail: checked.thumbnail, cameras: checked.cameras }, leaks: { ...leaks.bySurface } };
  }

  /** The answer for the run, `endTime` being the end of its history. Settles everything still waiting. */
  verdict(endTime: number): Verdict {
    try {
      this.settle(true);
      const lost = countLosses(this.events, endTime - this.world.graceMs, endTime);
      const evidence = this.leaks.evidence(this.context);
      return composeVerdict(this.tally, {
        lost,
        ...this.leaks.distinct(),
        latency: this.latency,
        evidence,
        failure: this.failure,
        options: this.options,
      });
    } catch (error) {
      this.failure ??= error instanceof Error ? error.message : String(error);
      return composeVerdict(emptyTally(), { failure: this.failure, options: this.options });
    }
  }

  private dispatch(record: HistoryRecord): void {
    switch (record.type) {
      case 'shown':
        return this.observeShown(record);
      case 'sent':
        return this.observeSent(record);
      case 'acked':
        return this.observeAcked(record.eventId, record.t);
      case 'thumbnail':
        return this.observeThumbnail(record);
      case 'cameras':
        return this.observeCameras(record);
      case 'access':
        return this.timeline.apply(record);
      case 'phase':
        return this.context.observePhase(record);
      case 'fault':
        return this.context.observeFault(record);
      case 'camera':
      case 'user':
      case 'error':
      case 'end':
        return;
      default:
        throw new Error(`unknown history record type ${String((record as { type?: unknown }).type)}`);
    }
  }

  private observeSent(record: Extract<HistoryRecord, { type: 'sent' }>): void {
    const known = this.events.find(record.eventId);
    if (known !== -1) return this.events.addVersion(known, record.digest, record.check);
    const camera = this.timeline.camera(record.cameraId);
    if (camera === undefined) {
      this.tally.unknown++;
      return;
    }
    this.events.add(record.eventId, camera, record.t, record.digest, record.check);
    this.tally.events.emitted++;
  }

  private observeAcked(eventId: string, t: number): void {
    const event = this.events.find(eventId);
    if (event === -1) {
      this.tally.unknown++;
      return;
    }
    if (this.events.ack(event, t)) {
      this.tally.events.acked++;
      const waiting = this.events.takeWaiting(event);
      if (waiting !== undefined) for (const shownAt of waiting) this.recordLatency(shownAt - t);
    }
  }

  private observeShown(record: Shown): void {
    const user = this.timeline.userNumber(record.userId);
    const list = record.surface === 'list';
    const items = record.events.length;
    this.tally.checked.total += items;
    if (list) this.tally.checked.list += items;
    else this.tally.checked.stream += items;
    const events = this.events;
    for (let i = 0; i < items; i++) {
      const shown = record.events[i]!;
      const event = events.find(shown.eventId);
      if (event === -1 || user === -1) {
        this.tally.unknown++;
        continue;
      }
      if (shown.cameraId !== events.camera(event).cameraId) this.tally.mismatches++;
      events.shown(event, record.t);
      const sighting = events.see(event, user, list);
      if (sighting === DUPLICATE) this.tally.duplicates++;
      this.judgeEvent(user, record.userId, event, record.surface, record.start, record.t, sighting === FIRST_SIGHT);
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
    this.tally.checked.total++;
    this.tally.checked.thumbnail++;
    const user = this.timeline.userNumber(record.userId);
    const truth = identifyBytes(record, this.events, this.world.runId);
    if (!truth.ok || user === -1) {
      this.tally.unknown++;
      return;
    }
    const event = truth.event;
    const cameraId = this.events.camera(event).cameraId;
    if (this.events.eventId(event) !== record.eventId || (record.cameraId !== undefined && record.cameraId !== cameraId)) {
      this.tally.mismatches++;
    }
    this.events.shown(event, record.t);
    const extra = { requestedEventId: record.eventId, labelledCameraId: record.cameraId, probe: record.probe };
    this.judgeEvent(user, record.userId, event, 'thumbnail', record.start, record.t, false, extra);
  }

  private observeCameras(record: CameraList): void {
    const user = this.timeline.userNumber(record.userId);
    for (const listed of record.cameras) {
      this.tally.checked.total++;
      this.tally.checked.cameras++;
      const camera = this.timeline.camera(listed.cameraId);
      if (camera === undefined || user === -1) {
        this.tally.unknown++;
        continue;
      }
      const access = camera.access(record.userId, record.start, record.t);
      if (access === 'no') {
        this.hold({ user, userId: record.userId, camera, event: -1, surface: 'cameras', start: record.start, t: record.t, first: false });
      } else if (access === 'yes') {
        const owner = camera.owner(record.userId, record.start, record.t);
        if ((listed.role === 'owner' && owner === 'no') || (listed.role === 'shared' && owner === 'yes')) this.tally.roleErrors++;
      }
    }
  }

  /** The hot path: two timeline questions (one array read for a camera only its owner sees); an object only for a would-be leak. */
  private judgeEvent(
    user: number,
    userId: string,
    event: number,
    surface: Surface,
    start: number,
    t: number,
    first: boolean,
    extra?: Pick<Candidate, 'requestedEventId' | 'labelledCameraId' | 'probe'>,
  ): void {
    const events = this.events;
    const solo = this.timeline.soloUser(events.cameraNumber(event));
    if (solo === user) {
      if (first) this.deliver(event, t);
      return;
    }
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
      this.hold({ user, userId, camera, event, surface, start, t, first, ...extra });
    } else if (first) this.deliver(event, t);
  }

  private hold(candidate: Candidate): void {
    this.pending.push(candidate);
  }

  /** Judges again, with everything now known, each held item that waited long enough (all of them when `final`). */
  private settle(final: boolean): void {
    const upTo = final ? Infinity : this.watermark - this.options.settleMs;
    const pending = this.pending;
    while (this.pendingHead < pending.length && pending[this.pendingHead]!.t <= upTo) {
      const c = pending[this.pendingHead++]!;
      const access = c.camera.userAt(c.user);
      const atShown = access.access(c.start, c.t);
      const atAcceptance = c.event === -1 ? atShown : access.access(this.events.sentAt(c.event), this.events.acceptedBy(c.event));
      if (atAcceptance === 'no' || atShown === 'no') this.leaks.convict(c, atAcceptance === 'no', atShown === 'no');
      else if (c.first && c.event !== -1) this.deliver(c.event, c.t);
    }
    if (this.pendingHead > 1024 && this.pendingHead * 2 > pending.length) {
      this.pending = pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
  }

  /** An entitled user's first sight of an event on the list or the stream. */
  private deliver(event: number, shownAt: number): void {
    if (this.events.deliver(event)) this.tally.events.delivered++;
    const ackedAt = this.events.ackedAtOf(event);
    if (ackedAt !== Infinity) this.recordLatency(shownAt - ackedAt);
    else this.events.awaitAck(event, shownAt);
  }

  private recordLatency(ms: number): void {
    // A push can reach the user before the ack reaches the camera: that is zero latency, not negative.
    this.latency.recordValue(Math.max(0, Math.round(ms)));
  }
}
