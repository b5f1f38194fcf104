/**
 * Whose picture is it really? Thumbnail bytes carry provenance (run, camera, event, keyed check) written by the
 * camera; we trust it only when it matches what that camera recorded when sending. Anything else is bytes we
 * cannot attribute, which the oracle counts as unknown rather than guessing an owner.
 */
import type { HistoryRecord } from '../world/history.ts';
import type { EventBook } from './events.ts';

type ThumbnailRecord = Extract<HistoryRecord, { type: 'thumbnail' }>;

/** The event (number in the book) the bytes really belong to, or why they cannot be attributed. */
export type BytesTruth = { ok: true; event: number } | { ok: false; why: string };

export function identifyBytes(record: ThumbnailRecord, events: EventBook, runId: string): BytesTruth {
  const digest = record.digest;
  if (digest === undefined) return { ok: false, why: 'a 200 thumbnail without a digest of its bytes' };
  const provenance = record.provenance;
  if (provenance === undefined || provenance === null) {
    // No provenance: only an exact copy of what the requested event's camera sent can be attributed.
    const requested = events.find(record.eventId);
    if (requested !== -1 && events.hasVersion(requested, digest, null)) return { ok: true, event: requested };
    return { ok: false, why: 'thumbnail bytes without provenance' };
  }
  if (provenance.runId !== runId) return { ok: false, why: `thumbnail bytes from another run (${provenance.runId})` };
  const event = events.find(provenance.eventId);
  if (event === -1) return { ok: false, why: `thumbnail bytes of event ${provenance.eventId}, never sent in this run` };
  if (events.camera(event).cameraId !== provenance.cameraId || !events.hasVersion(event, digest, provenance.check)) {
    return { ok: false, why: `thumbnail bytes claiming event ${provenance.eventId} match nothing its camera sent` };
  }
  return { ok: true, event };
}
