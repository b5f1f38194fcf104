/**
 * The leak ledger: counts every leak exactly and keeps the first ones in full as evidence. A leak is an item held
 * back as a would-be leak (a `Candidate`) that late records did not excuse.
 */
import type { Surface } from '../world/history.ts';
import type { CameraTimeline } from '../world/timeline.ts';
import type { Tally } from './compose.ts';
import type { RunContext } from './context.ts';
import type { EventBook } from './events.ts';
import type { LeakEvidence } from './verdict.ts';

/** An item held back until late records can no longer excuse it. Only would-be leaks get one, so they stay rare. */
export interface Candidate {
  user: number;
  userId: string;
  camera: CameraTimeline;
  /**
   * The event's number in the book; -1 on the `cameras` surface, where only the moment of the call counts, and for
   * a late item, whose event the horizon released (then `late` says when its camera's released events were accepted).
   */
  event: number;
  late?: { eventId: string; from: number; to: number };
  surface: Surface;
  start: number;
  t: number;
  /** The user's first sight of the event on the list or the stream: counts as a delivery if excused. */
  first: boolean;
  requestedEventId?: string;
  labelledCameraId?: string;
  probe?: boolean;
}

export class LeakLedger {
  private readonly recipients = new Set<string>();
  private readonly owners = new Set<string>();
  private readonly opened = new Set<string>();
  private readonly kept: LeakEvidence[] = [];

  constructor(
    private readonly events: EventBook,
    private readonly tally: Tally,
    private readonly maxEvidence: number,
  ) {}

  convict(c: Candidate, atAcceptance: boolean, atShown: boolean): void {
    const leaks = this.tally.leaks;
    leaks.total++;
    leaks.bySurface[c.surface]++;
    this.recipients.add(c.userId);
    if (c.surface === 'thumbnail') this.opened.add(c.userId);
    const ownersThen =
      c.late !== undefined
        ? c.camera.ownersDuring(c.late.from, c.late.to)
        : c.event === -1
          ? c.camera.ownersDuring(c.start, c.t)
          : c.camera.ownersDuring(this.events.sentAt(c.event), this.events.acceptedBy(c.event));
    // Whose data it was: whoever owned the camera when the event was accepted or when it was shown.
    for (const owner of [...ownersThen, ...c.camera.ownersDuring(c.start, c.t)]) if (owner !== c.userId) this.owners.add(owner);
    if (this.kept.length >= this.maxEvidence) return;
    this.kept.push({
      recipient: c.userId,
      owners: ownersThen,
      cameraId: c.camera.cameraId,
      ...(c.event !== -1 && { eventId: this.events.eventId(c.event) }),
      ...(c.late !== undefined && { eventId: c.late.eventId }),
      surface: c.surface,
      call: {
        start: c.start,
        t: c.t,
        ...(c.requestedEventId !== undefined && { requestedEventId: c.requestedEventId }),
        ...(c.labelledCameraId !== undefined && { labelledCameraId: c.labelledCameraId }),
        ...(c.probe !== undefined && { probe: c.probe }),
      },
      at: c.t,
      broken: atAcceptance && atShown ? 'both' : atAcceptance ? 'acceptance' : 'shown',
      phase: null,
      faults: [],
    });
  }

  /** Distinct users on either side of the leaks, and those who opened foreign thumbnail bytes. */
  distinct(): { recipients: number; owners: number; opened: number } {
    return { recipients: this.recipients.size, owners: this.owners.size, opened: this.opened.size };
  }

  /** The evidence kept, stamped with the phase and faults at each leak's time now that the history is complete. */
  evidence(context: RunContext): LeakEvidence[] {
    for (const leak of this.kept) {
      leak.phase = context.phaseAt(leak.at);
      leak.faults = context.faultsAt(leak.at);
    }
    return this.kept;
  }
}
