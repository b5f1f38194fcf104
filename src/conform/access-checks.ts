/**
 * Checks the access areas share: after an access change has settled, what a user must no longer be shown.
 * Each looks at one kind of exposure the protocol counts as a leak: the camera list, events, thumbnails.
 */
import { expectError } from './answers.ts';
import type { CameraEvent } from './camera.ts';
import { expectThat, required } from './expectation.ts';
import type { Session } from './session.ts';
import { allEvents, cameras, ids, thumbnail } from './user.ts';

export async function listedCameraIds(state: Session, token: string): Promise<string[]> {
  return (await cameras(state.target, token)).map((camera) => camera.cameraId);
}

export async function expectNoEventOf(state: Session, token: string, who: string, cameraId: string): Promise<void> {
  const seen = (await allEvents(state.target, token)).filter((e) => e.cameraId === cameraId);
  expectThat(seen.length === 0, () => `${who} sees [${ids(seen)}]`, `none of ${cameraId}'s events`);
}

/** Each event's thumbnail answers 404 to `token`; an event missing because an earlier step failed fails this. */
export async function expectThumbnailsHidden(state: Session, token: string, events: (CameraEvent | undefined)[]): Promise<void> {
  for (const event of events) expectError(await thumbnail(state.target, token, required(event, 'an event').eventId), 404);
}
