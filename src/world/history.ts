/**
 * The history: everything drivers and the nemesis did and saw, in the order they recorded it. The oracle is a
 * pure function of (world, history), so these records hold all it needs; a run is judged again later from its
 * journal, which is these records one per line. Times (`t`, `sentAt`...) are ms since the Unix epoch on the
 * harness's clock; fractional values are allowed.
 */
import type { AccessChange } from './types.ts';

/** One worker process of a split fleet: its slice of the world and what it delivered to the run. */
export interface WorkerShare {
  /** 1-based, as the run log names it. */
  worker: number;
  cameras: number;
  users: number;
  /** Records the worker says it made; null when it never said (killed, or its tally never arrived). */
  recordsSent: number | null;
  recordsReceived: number;
}

/** Where a user was shown something. */
export type Surface = 'list' | 'stream' | 'thumbnail' | 'cameras';

/** Provenance read out of thumbnail bytes (see provenance.ts); null when the bytes carry none. */
export interface ThumbnailProvenance {
  runId: string;
  cameraId: string;
  eventId: string;
  /** Keyed check value the camera embedded; compared with the one it recorded when sending. */
  check: string;
}

/** An event as a user was shown it: the target's metadata, not the truth. */
export interface ShownEvent {
  eventId: string;
  cameraId: string;
  kind: string;
  ts: number;
}

export type HistoryRecord =
  /** A run phase began (warm-up, outage, storm, settle, drain...). */
  | { type: 'phase'; t: number; name: string }
  /**
   * A fault's life, `id` pairing its records. `start`: Toxiproxy confirmed the fault is in force; `t` is when the
   * call was made (it may take effect before the answer), so the record can arrive after records it covers.
   * `heal`: Toxiproxy confirmed it is gone at `t`; `calledAt` is when the heal was first called (it may have taken
   * effect any time from then, e.g. when a first call timed out and a later one confirmed it).
   * `apply-failed` / `heal-failed`: the call did not succeed (`message` says why); the fault was never applied, or
   * may still be in force.
   */
  | {
      type: 'fault';
      t: number;
      action: 'start' | 'heal' | 'apply-failed' | 'heal-failed';
      id: string;
      fault: string;
      path: 'client' | 'cache';
      detail?: Record<string, unknown>;
      message?: string;
      calledAt?: number;
    }
  /**
   * A service the run depends on stopped while the run went (the target's process exited, its health probes
   * failed, Toxiproxy stopped answering): what followed tested nothing. `message` names it and says how it was seen.
   */
  | { type: 'down'; t: number; service: 'target' | 'toxiproxy'; message: string }
  /** An access change was applied through the admin API between `start` and `end` (both harness times). */
  | { type: 'access'; start: number; end: number; change: AccessChange; ok: boolean }
  /**
   * A camera's device connection: welcomed, closed (with code) after a welcome, or refused (the first refusal of a
   * streak). Failed connects are not recorded one by one: `retries` on the next welcome counts them, or on the
   * camera's last record (a closed 1001 when the fleet stops) if it never came back. `connecting` is only in
   * journals written before attempts stopped being recorded; readers ignore it.
   */
  | { type: 'camera'; t: number; cameraId: string; state: 'connecting' | 'welcome' | 'closed' | 'refused'; code?: number; retries?: number }
  /** A camera sent an event (again, on a retry). `digest` is of the exact thumbnail bytes, `check` their provenance check value. */
  | { type: 'sent'; t: number; cameraId: string; eventId: string; kind: string; ts: number; bytes: number; digest: string; check: string }
  /** The target acknowledged an event. */
  | { type: 'acked'; t: number; cameraId: string; eventId: string }
  /**
   * A user's session: logged in, login refused, stream opened or closed. As with cameras, failed attempts are not
   * recorded one by one: `retries` on the next `login` or `stream-open` counts the attempts that failed before it,
   * or, for a user still failing when the fleet stops, its last record (a `login-failed`, or a `stream-closed`
   * 1001). `login-failed` is the first refusal of a streak (its `code`, say 401), and in journals written before
   * retries were counted, any failed login; a `stream-closed` without `retries` is a stream that was open.
   */
  | { type: 'user'; t: number; userId: string; state: 'login' | 'login-failed' | 'stream-open' | 'stream-closed'; code?: number; retries?: number }
  /** Events shown by `GET /v1/events` (one page) or pushed on the stream (one message). */
  | { type: 'shown'; surface: 'list' | 'stream'; start: number; t: number; userId: string; events: ShownEvent[] }
  /** The camera list a user was shown. */
  | { type: 'cameras'; start: number; t: number; userId: string; cameras: { cameraId: string; role: 'owner' | 'shared' }[] }
  /**
   * A thumbnail fetch. `probe` marks a curious user asking for an event that is not theirs, which must be refused.
   * `status` is the HTTP status; on 200, `digest` and `provenance` describe the bytes received.
   */
  | {
      type: 'thumbnail';
      start: number;
      t: number;
      userId: string;
      eventId: string;
      /** The camera the user was told the event came from, when known. */
      cameraId?: string;
      probe: boolean;
      status: number;
      bytes?: number;
      digest?: string;
      provenance?: ThumbnailProvenance | null;
    }
  /**
   * What a load tool that drove some of the fleet's requests said of them at its end (autocannon, for the refresh
   * storm's users): one per fleet that used it, `result` as the tool gave it (histograms encoded), for the summary to
   * merge. Not an observation: the oracle ignores it.
   */
  | { type: 'load'; t: number; tool: 'autocannon'; connections: number; result: Record<string, unknown> }
  /**
   * The run's last record, written only when the run ends by itself (or by Ctrl-C), after the load stopped: a
   * journal without it was killed. Not an observation: the oracle ignores it. `startedAt` is when the load began.
   */
  | { type: 'end'; t: number; startedAt: number; interrupted?: string; unjudged?: string; workers?: WorkerShare[] }
  /**
   * Something went wrong that is not a judgement: the target answered garbage, a call failed. Counted, never silently
   * dropped. `count` (absent: 1) is how many errors of this kind the record stands for: the journal writes the first
   * few of a kind in full and folds the rest into such counts (see error-fold.ts).
   */
  | { type: 'error'; t: number; source: string; message: string; userId?: string; cameraId?: string; count?: number };

export type HistoryType = HistoryRecord['type'];

/** Where drivers and the nemesis put what they did and saw. Recording must be cheap: it sits on hot paths. */
export interface Recorder {
  record(record: HistoryRecord): void;
}
