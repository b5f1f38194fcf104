/**
 * The oracle bench's synthetic run: 5,000 cameras, 2,500 users, shares, a few hundred access changes, and items
 * in a real storm run's mix of surfaces. Ids have the forms a real run's have (ids.ts, event-id.ts), and records
 * come as the collector hands them over (`asCollected`). A module of its own so a verdict can be compared before
 * and after a change to the oracle on the very history it is timed on.
 */
import { BATCH_RECORDS } from '../src/run/fleet/shipper.ts';
import type { HistoryRecord, ShownEvent } from '../src/world/history.ts';
import type { AccessChange, World } from '../src/world/types.ts';
import { eventIdOf } from '../src/world/event-id.ts';
import { cameraId, userId } from '../src/world/ids.ts';
import { randomStream } from '../src/world/random.ts';

const USERS = 2500;
const CAMERAS = 5000;
const SHARES = 1500;
const CHANGES = 300;
const T0 = 1_700_000_000_000;
const SPAN = 20 * 60_000;

/** The world's seeded generator, so every run of the bench judges the same history. */
export function seeded(seed: number): () => number {
  const stream = randomStream(seed, 'bench');
  return () => stream.next();
}

export function buildWorld(random: () => number): World {
  const users = Array.from({ length: USERS }, (_, i) => ({ userId: userId(i), email: `${userId(i)}@example.test`, password: 'pw', name: userId(i) }));
  const cameras = Array.from({ length: CAMERAS }, (_, i) => ({ cameraId: cameraId(i), secret: 's', name: cameraId(i), model: 'm', mac: '0', ownerId: userId(i % USERS) }));
  const shares = Array.from({ length: SHARES }, () => ({ cameraId: cameraId(Math.floor(random() * CAMERAS)), userId: userId(Math.floor(random() * USERS)) }));
  return { seed: 1, runId: 'bench', users, cameras, shares, changes: [], graceMs: 2000 };
}

export function buildHistory(world: World, random: () => number, events: number): HistoryRecord[] {
  const history: HistoryRecord[] = [{ type: 'phase', t: T0, name: 'steady' }];
  const sharees = new Map<string, string[]>();
  for (const s of world.shares) sharees.set(s.cameraId, [...(sharees.get(s.cameraId) ?? []), s.userId]);
  for (let i = 0; i < CHANGES; i++) {
    const cameraId = world.cameras[Math.floor(random() * CAMERAS)]!.cameraId;
    const userId = world.users[Math.floor(random() * USERS)]!.userId;
    const start = T0 + random() * SPAN;
    const kind = (['share', 'revoke', 'transfer'] as const)[i % 3]!;
    const change: AccessChange = kind === 'transfer' ? { kind, at: 0, cameraId, toUserId: userId } : { kind, at: 0, cameraId, userId };
    history.push({ type: 'access', start, end: start + 50 + random() * 250, change, ok: random() > 0.05 });
  }
  const ownedBy = new Map<string, { cameraId: string; role: 'owner' }[]>();
  for (const c of world.cameras) ownedBy.set(c.ownerId, [...(ownedBy.get(c.ownerId) ?? []), { cameraId: c.cameraId, role: 'owner' }]);
  const pages = new Map<string, ShownEvent[]>();
  const made = new Int32Array(CAMERAS);
  for (let e = 0; e < events; e++) {
    const n = Math.floor(random() * CAMERAS);
    const cam = world.cameras[n]!;
    const t = T0 + (e / events) * SPAN;
    const eventId = eventIdOf(cam.cameraId, ++made[n]!);
    const shownEvent: ShownEvent = { eventId, cameraId: cam.cameraId, kind: 'motion', ts: t };
    history.push({ type: 'sent', t, cameraId: cam.cameraId, eventId, kind: 'motion', ts: t, bytes: 4096, digest: `d${e}`, check: `k${e}` });
    const acked: HistoryRecord = { type: 'acked', t: t + 5 + random() * 40, cameraId: cam.cameraId, eventId };
    const push: HistoryRecord = { type: 'shown', surface: 'stream', start: t + 20, t: t + 30, userId: cam.ownerId, events: [shownEvent] };
    // One push in five beats the ack to the history, as on a real run.
    if (random() < 0.2) history.push(push, acked);
    else history.push(acked, push);
    for (const sharee of sharees.get(cam.cameraId) ?? []) {
      history.push({ type: 'shown', surface: 'stream', start: t + 25, t: t + 40, userId: sharee, events: [shownEvent] });
    }
    const page = pages.get(cam.ownerId) ?? [];
    page.push(shownEvent);
    if (page.length >= 10) {
      history.push({ type: 'shown', surface: 'list', start: t + 50, t: t + 80, userId: cam.ownerId, events: page });
      pages.delete(cam.ownerId);
    } else pages.set(cam.ownerId, page);
    // Taps and camera-list refreshes at the rates of a real storm run (items there: ~37% listed, ~31% pushed,
    // ~13% thumbnails, ~19% camera-list entries), so the figure is for the mix the oracle really judges.
    if (random() < 0.5) {
      const provenance = { runId: 'bench', cameraId: cam.cameraId, eventId, check: `k${e}` };
      history.push({ type: 'thumbnail', start: t + 90, t: t + 100, userId: cam.ownerId, eventId, cameraId: cam.cameraId, probe: false, status: 200, bytes: 4096, digest: `d${e}`, provenance });
    }
    if (random() < 0.001) history.push({ type: 'thumbnail', start: t + 90, t: t + 95, userId: world.users[Math.floor(random() * USERS)]!.userId, eventId, probe: true, status: 404 });
    if (random() < 0.33) {
      const userId = world.users[Math.floor(random() * USERS)]!.userId;
      history.push({ type: 'cameras', start: t, t: t + 10, userId, cameras: ownedBy.get(userId) ?? [] });
    }
  }
  return asCollected(history);
}

/**
 * The records as the oracle really gets them: every run's fleet is in worker processes, whose records reach the
 * judge through the collector, parsed from JSON batches of up to BATCH_RECORDS (shipper.ts). So every record has strings of
 * its own, flat, as JSON.parse makes them, not the ids built above by concatenation and shared between records:
 * hashing those cost an extra hop per character run, and comparing them a pointer check that real records never pass.
 */
function asCollected(history: HistoryRecord[]): HistoryRecord[] {
  const collected: HistoryRecord[] = [];
  for (let i = 0; i < history.length; i += BATCH_RECORDS) {
    collected.push(...(JSON.parse(JSON.stringify(history.slice(i, i + BATCH_RECORDS))) as HistoryRecord[]));
  }
  return collected;
}
