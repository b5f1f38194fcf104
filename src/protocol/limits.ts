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
