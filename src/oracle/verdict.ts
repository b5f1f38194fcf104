/**
 * What the oracle answers: a verdict with exact counts and the evidence for the first leaks. Plain data, so
 * every reporter (json, junit, html, md) renders it without knowing how it was reached.
 */
import type { Surface } from '../world/history.ts';

/** A fault that was active when a leak happened. */
export interface ActiveFault {
  id: string;
  fault: string;
  path: 'client' | 'cache';
}

/** Which moment of the access rule was surely broken. */
export type BrokenAt = 'acceptance' | 'shown' | 'both';

/** Everything needed to reproduce and explain one leak, without re-reading the history. */
export interface LeakEvidence {
  /** The user who was shown something not theirs. */
  recipient: string;
  /** Who (possibly) owned the camera when the target accepted the event (for `cameras`: during the call). */
  owners: string[];
  /** The camera the data really came from (for a content mismatch: the bytes' camera, not the label). */
  cameraId: string;
  /** The event the data really belongs to; absent on the `cameras` surface. */
  eventId?: string;
  surface: Surface;
  /** The call that delivered it: the surface, the request interval, and what was asked for or labelled. */
  call: { start: number; t: number; requestedEventId?: string; labelledCameraId?: string; probe?: boolean };
  /** When it was shown (the end of the call). */
  at: number;
  broken: BrokenAt;
  /** The run phase at `at`, null before the first phase record. */
  phase: string | null;
  faults: ActiveFault[];
}

export type VerdictStatus = 'pass' | 'fail' | 'unknown';

/** Per-surface counters. */
export interface BySurface {
  list: number;
  stream: number;
  thumbnail: number;
  cameras: number;
}

/** The oracle's answer for a run: any leak fails it; too little checked, or any doubt in the checker, is unknown. */
export interface Verdict {
  status: VerdictStatus;
  /** Why the status is what it is, one sentence each. */
  reasons: string[];
  leaks: {
    total: number;
    /** Distinct users shown something not theirs. */
    recipients: number;
    /** Distinct users whose data reached someone else. */
    owners: number;
    /** Distinct recipients who fetched the bytes of a foreign thumbnail with a 200, probe or not. */
    opened: number;
    bySurface: BySurface;
  };
  checked: BySurface & { total: number };
  /** Thumbnail bytes that belong to another camera or event than labelled, and shown events whose camera is wrong. */
  mismatches: number;
  /** A camera listed with the wrong role while the user surely had access: a target bug, not a leak. */
  roleErrors: number;
  /** Items the oracle cannot judge: events or thumbnails this run never sent, cameras not in the world, corrupt bytes. */
  unknown: number;
  /** The same event shown twice to the same user on the same surface (list or stream). */
  duplicates: number;
  events: { emitted: number; acked: number; delivered: number; lost: number };
  probes: { sent: number; refused: number; notRefused: number };
  /**
   * Delivery latency in ms, from the ack (or, if later, the first login of any user who may be entitled to the
   * event: presence.ts) to the first time an entitled user was shown the event.
   */
  latency: { p50: number; p95: number; p99: number; max: number };
  /** The first `maxEvidence` leaks in full; `leaks.total` counts them all. */
  evidence: LeakEvidence[];
  /**
   * Records naming an event the oracle's horizon had already released (see horizon.ts): sights judged by their
   * camera alone, and late acks. Absent when there were none, which is always the case for runs shorter than the
   * horizon.
   */
  late?: number;
}

/** Knobs of the oracle; every threshold that turns "too little seen" into 'unknown' is one of these. */
export interface OracleOptions {
  /** Leaks kept in full as evidence; the rest are only counted. */
  maxEvidence: number;
  /** Fewer items checked than this: unknown. */
  minChecked: number;
  /** Fewer events delivered to an entitled user than this: unknown. */
  minDelivered: number;
  /** Fewer thumbnails (with bytes) checked than this: unknown. 0 for a target without thumbnails. */
  minThumbnails: number;
  /** More unjudgeable items than this: unknown (they may hide a leak). */
  maxUnknown: number;
  /**
   * How long (history time) a would-be leak waits for late `access` records before it counts. An access record
   * is written when its admin call returns, possibly after items it explains; this must exceed the longest admin
   * call plus the skew between drivers' records.
   */
  settleMs: number;
  /**
   * How long (history time) after its last `sent` or `acked` the oracle keeps an event's state before releasing it
   * and deciding its loss, so that a soak's memory stays bounded. Must exceed `settleMs` plus the world's grace
   * window, and should exceed the longest outage (a camera retrying an event after the horizon sends a new one).
   */
  horizonMs: number;
}

export const defaultOracleOptions: OracleOptions = {
  maxEvidence: 1000,
  minChecked: 1,
  minDelivered: 1,
  minThumbnails: 1,
  maxUnknown: 0,
  settleMs: 30_000,
  horizonMs: 10 * 60_000,
};
