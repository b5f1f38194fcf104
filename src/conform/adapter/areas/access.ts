/** The small checks several adapter areas share: that a call was refused, and what a user lists now. */
import { Refusal } from '../../../adapter/define.ts';
import type { ShownItem } from '../../../adapter/types.ts';
import { expectThat, Mismatch } from '../../expectation.ts';
import { camerasOf, type Cast } from '../cast.ts';
import { listed, pageSize, type Scene } from '../scene.ts';

/** Statuses that refuse: logged out, forbidden, not found. */
const REFUSALS = [401, 403, 404];

/** Resolves when `attempt` is the backend's refusal; a session, a connection or any other answer fails. */
export async function expectRefused(what: string, attempt: () => Promise<{ close?(): unknown } | unknown>): Promise<void> {
  let outcome: unknown;
  try {
    outcome = await attempt();
  } catch (error) {
    if (error instanceof Refusal) return;
    throw error;
  }
  const closable = outcome as { connection?: { close?(): unknown } } | undefined;
  void Promise.resolve().then(() => closable?.connection?.close?.()).catch(() => undefined);
  throw new Mismatch(`${what} accepted`, 'a refusal (the hook throws refused(status) or loggedOut())');
}

/** Resolves when `status` refuses (401, 403 or 404). */
export function expectRefusalStatus(who: string, status: number, bytes?: Uint8Array): void {
  expectThat(REFUSALS.includes(status), () => `${who} answered ${status}${bytes ? ` with ${bytes.length} bytes` : ''}`, 'a refusal: 401, 403 or 404');
}

/** The user's cameras with roles, as the adapter lists them and as the world says they should be. */
export async function expectCamerasOf(scene: Scene, who: 'alice' | 'bob'): Promise<void> {
  const listedNow = await scene.subject.cameras(scene.sessions[who]);
  const seen = listedNow.map((camera) => `${camera.cameraId}:${camera.role}`).sort();
  const expected = camerasOf(scene.cast, scene.cast[who].id).map((camera) => `${camera.cameraId}:${camera.role}`);
  expectThat(seen.join() === expected.join(), () => `${who} lists [${seen.join(', ')}]`, `[${expected.join(', ')}]`);
}

/** Everything `who` is shown now, paged to the end. */
export function eventsOf(scene: Scene, who: 'alice' | 'bob'): Promise<ShownItem[]> {
  return scene.subject.allEvents(scene.sessions[who], pageSize(scene.cast));
}

/** Fails when `items` hold an event of `cameraId`, or one of the given event ids; `shown` says who saw them how. */
export function expectNoneOf(shown: string, items: readonly ShownItem[], cameraId: string, eventIds: readonly string[] = []): void {
  const foreign = items.filter((item) => item.cameraId === cameraId || eventIds.includes(item.eventId));
  expectThat(foreign.length === 0, () => `${shown} ${listed(foreign)}`, `none of ${cameraId}'s events`);
}

/** The camera ids `who` may see now. */
export function visibleTo(cast: Cast, userId: string): Set<string> {
  return new Set(camerasOf(cast, userId).map((camera) => camera.cameraId));
}
