/**
 * What most adapter areas start from: a world with alice and bob logged in, and events conform's cameras make.
 * Each event's thumbnail carries Stampede's provenance (run, camera, event), so bytes served to the wrong user or
 * for the wrong event say whose they really are.
 */
import type { DeviceEvent, ShownItem } from '../../adapter/types.ts';
import { EVENT_KINDS } from '../../protocol/limits.ts';
import { makeThumbnail, readProvenance } from '../../world/provenance.ts';
import { Mismatch } from '../expectation.ts';
import type { Cast } from './cast.ts';
import type { Camera, PushLog } from './links.ts';
import type { AdapterSubject } from './subject.ts';

export interface Scene {
  subject: AdapterSubject;
  cast: Cast;
  sessions: { alice: unknown; bob: unknown };
}

/** A world for the area, both users logged in. */
export async function sceneOf(subject: AdapterSubject): Promise<Scene> {
  const cast = await subject.world();
  return { subject, cast, sessions: { alice: await subject.login(cast.alice), bob: await subject.login(cast.bob) } };
}

let made = 0;

/** A new event of `cameraId`, its thumbnail 2 to 4 KiB with provenance. */
export function newEvent(cast: Cast, cameraId: string, label: string): DeviceEvent {
  made += 1;
  const eventId = `${cast.tag}-${label}-${made}`;
  const size = 2048 + ((made * 613) % 2048);
  const { bytes } = makeThumbnail({ runId: `conform-${cast.tag}`, cameraId, eventId, size, key: cast.tag });
  return { eventId, cameraId, kind: EVENT_KINDS[made % EVENT_KINDS.length]!, ts: Date.now(), thumbnail: bytes };
}

/** Sends a new event from `camera` and waits for its ack. */
export async function sendNew(scene: Scene, camera: Camera, label: string): Promise<DeviceEvent> {
  const event = newEvent(scene.cast, camera.id, label);
  await scene.subject.send(camera, event);
  return event;
}

/** Page size for listing everything: small on a fresh world so paging is really walked, larger on a lived-in one. */
export function pageSize(cast: Cast): number {
  return cast.fresh ? 2 : 100;
}

/** What bytes say about themselves, for a failure's detail. */
export function whoseBytes(bytes: Uint8Array | undefined): string {
  if (bytes === undefined) return 'no bytes';
  const provenance = readProvenance(bytes);
  return provenance ? `the thumbnail of event ${provenance.eventId} of camera ${provenance.cameraId}` : `${bytes.length} bytes Stampede did not make`;
}

/**
 * Opens the user's push channel and returns once it demonstrably delivers: a backend may subscribe the channel a
 * moment after it opened, so fresh events from `own` (one of the user's cameras) are sent until one is delivered,
 * within one call timeout.
 */
export async function livePush(scene: Scene, session: unknown, own: Camera): Promise<PushLog> {
  const log = await scene.subject.push(session);
  const deadline = Date.now() + scene.subject.timeoutMs;
  let primes = 0;
  while (Date.now() < deadline) {
    const prime = await sendNew(scene, own, 'prime');
    primes += 1;
    if (await log.waitFor(prime.eventId, 500)) return log;
    if (log.closeReason !== undefined) break;
  }
  scene.subject.checkPushed(log);
  const closed = log.closeReason === undefined ? '' : `; the channel closed: ${log.closeReason}`;
  throw new Mismatch(`no push of ${primes} events of ${own.id} sent after the channel opened${closed}`, 'the user\'s new events delivered');
}

/** Item lines for a failure's detail: `event of camera`, at most five. */
export function listed(items: readonly ShownItem[]): string {
  const shown = items.slice(0, 5).map((item) => `${item.eventId} of ${item.cameraId}`);
  return `[${shown.join(', ')}${items.length > 5 ? `, and ${items.length - 5} more` : ''}]`;
}
