/**
 * The protocol's plain constants, with no imports at all, so pure code (the world's thumbnail provenance) reads
 * them without pulling in zod; schema.ts re-exports them so there is one definition.
 */
export const EVENT_KINDS = ['motion', 'sound', 'person'] as const;
/** Decoded thumbnails are at most 64 KiB. */
export const MAX_THUMBNAIL_BYTES = 64 * 1024;
export const MAX_EVENTS_LIMIT = 500;

/** WebSocket close codes of the protocol. */
export const CloseCode = { unauthorized: 4401, replaced: 4409 } as const;

export function thumbnailPath(eventId: string): string {
  return `/v1/events/${eventId}/thumbnail`;
}

/**
 * The most the harness reads of one answer from a target, by call: generous for any conforming target (ids are
 * at most 64 characters), finite for a hostile one, so an endless body is an error naming the call, never a
 * harness that eats the machine's memory.
 */
export const ANSWER_BOUNDS = {
  /** `GET /v1/health`, `POST /v1/login`, admin answers and any error body: one small JSON object. */
  small: 64 * 1024,
  /** `GET /v1/cameras`: a few hundred bytes per camera, for as many cameras as a run may have (100,000). */
  cameraList: 16 * 1024 * 1024,
  /** `GET /v1/events`: a page of at most 500 events, each far below 4 KiB. */
  eventPage: MAX_EVENTS_LIMIT * 4 * 1024,
  /** `GET /v1/events/{eventId}/thumbnail`: the bytes a camera may upload. */
  thumbnail: MAX_THUMBNAIL_BYTES,
} as const;

/**
 * The largest WebSocket frame the harness takes from a target. Every message the protocol has a target send
 * (welcome, ack, a pushed event) is a small JSON object; a larger frame closes the socket (1009).
 */
export const MAX_TARGET_FRAME_BYTES = 64 * 1024;
