/**
 * Whose picture is it really? Thumbnail bytes carry provenance (run, camera, event, keyed check) written by the
 * camera; we trust it only when it matches what that camera recorded when sending. Anything else is bytes we
 * cannot attribute, which the oracle counts as unknown rather than guessing an owner.
 */
import type { HistoryRecord } from '../world/history.ts';
import type { EventBook } from './events.ts';

type ThumbnailRecord = Extract<HistoryRecord, { type: 'thumbnail' }>;

/**
 * The event (number in the book) the bytes really belong to, or -1 when they cannot be attributed: no digest, no
 * provenance and not an exact copy of the requested event, another run's, or matching nothing its camera sent.
 * A number, not an object: this runs for every thumbnail.
 */
export function identifyBytes(record: ThumbnailRecord, events: EventBook, runId: string): number {
  const digest = record.digest;
  if (digest === undefined) return -1;
  const provenance = record.provenance;
  if (provenance === undefined || provenance === null) {
    // No provenance: only an exact copy of what the requested event's camera sent can be attributed.
    const requested = events.find(record.eventId);
    return requested !== -1 && events.hasVersion(requested, digest, null) ? requested : -1;
  }
  if (provenance.runId !== runId) return -1;
  const event = events.find(provenance.eventId);
  if (event === -1) return -1;
  if (events.cameraId(event) !== provenance.cameraId || !events.hasVersion(event, digest, provenance.check)) return -1;
  return event;
}
