/**
 * A tiny literal world and record builders for oracle tests: alice owns camA (shared with carol), bob owns camB.
 * Times are offsets from T so the histories read like a script.
 */
import type { HistoryRecord, ShownEvent, ThumbnailProvenance } from '../../src/world/history.ts';
import type { AccessChange, World } from '../../src/world/types.ts';

export const T = 1_700_000_000_000;
export const GRACE = 2000;
export const RUN = 'run-1';

export function tinyWorld(overrides: Partial<World> = {}): World {
  const user = (userId: string) => ({ userId, email: `${userId}@example.test`, password: 'pw', name: userId });
  const camera = (cameraId: string, ownerId: string) => ({ cameraId, secret: 's', name: cameraId, model: 'm', mac: '00:00:00:00:00:00', ownerId });
  return {
    seed: 1,
    runId: RUN,
    users: [user('alice'), user('bob'), user('carol')],
    cameras: [camera('camA', 'alice'), camera('camB', 'bob')],
    shares: [{ cameraId: 'camA', userId: 'carol' }],
    changes: [],
    graceMs: GRACE,
    ...overrides,
  };
}

/** Records of one event: sent at `at`, acked 50 ms later. Digest and check are derived from the id. */
export function emit(cameraId: string, eventId: string, at: number): HistoryRecord[] {
  return [
    { type: 'sent', t: T + at, cameraId, eventId, kind: 'motion', ts: T + at, bytes: 100, digest: `d-${eventId}`, check: `c-${eventId}` },
    { type: 'acked', t: T + at + 50, cameraId, eventId },
  ];
}

export function shown(surface: 'list' | 'stream', userId: string, at: number, events: [eventId: string, cameraId: string][]): HistoryRecord {
  const list: ShownEvent[] = events.map(([eventId, cameraId]) => ({ eventId, cameraId, kind: 'motion', ts: T }));
  return { type: 'shown', surface, start: T + at - 20, t: T + at, userId, events: list };
}

export function cameras(userId: string, at: number, list: [cameraId: string, role: 'owner' | 'shared'][]): HistoryRecord {
  return { type: 'cameras', start: T + at - 20, t: T + at, userId, cameras: list.map(([cameraId, role]) => ({ cameraId, role })) };
}

/** A 200 thumbnail fetch of `eventId` whose bytes really are those of `bytesOf` (default: the same event). */
export function thumbnail(
  userId: string,
  at: number,
  eventId: string,
  cameraId: string,
  bytesOf: { eventId: string; cameraId: string; runId?: string; check?: string; digest?: string } = { eventId, cameraId },
  probe = false,
): HistoryRecord {
  const provenance: ThumbnailProvenance = { runId: bytesOf.runId ?? RUN, cameraId: bytesOf.cameraId, eventId: bytesOf.eventId, check: bytesOf.check ?? `c-${bytesOf.eventId}` };
  return { type: 'thumbnail', start: T + at - 20, t: T + at, userId, eventId, cameraId, probe, status: 200, bytes: 100, digest: bytesOf.digest ?? `d-${bytesOf.eventId}`, provenance };
}

export function refused(userId: string, at: number, eventId: string, status = 404): HistoryRecord {
  return { type: 'thumbnail', start: T + at - 20, t: T + at, userId, eventId, probe: true, status };
}

/** An access change without its planned time: tests only care when it really happened. */
export type Unplanned = { [K in AccessChange['kind']]: Omit<Extract<AccessChange, { kind: K }>, 'at'> }[AccessChange['kind']];

export function access(change: Unplanned, start: number, end: number, ok = true): HistoryRecord {
  return { type: 'access', start: T + start, end: T + end, change: { ...change, at: start } as AccessChange, ok };
}

/** A healthy baseline: alice and carol see camA's event on both surfaces, alice opens its thumbnail, bob's probe is refused. */
export function cleanRun(): HistoryRecord[] {
  return [
    { type: 'phase', t: T, name: 'warm-up' },
    ...emit('camA', 'e1', 1000),
    ...emit('camB', 'e2', 1100),
    shown('stream', 'alice', 1080, [['e1', 'camA']]),
    shown('list', 'carol', 1500, [['e1', 'camA']]),
    shown('list', 'bob', 1600, [['e2', 'camB']]),
    thumbnail('alice', 1700, 'e1', 'camA'),
    refused('bob', 1800, 'e1'),
    cameras('carol', 1900, [['camA', 'shared']]),
    cameras('alice', 1900, [['camA', 'owner']]),
  ];
}
