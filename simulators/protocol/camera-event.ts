/**
 * One camera event's thumbnail: the provenance-carrying bytes the adapter sends, and what the camera records about
 * them. Everything is derived from the ids, so a resend rebuilds the very same bytes and a camera keeps nothing
 * large per unacknowledged event.
 */
import { EVENT_KINDS } from '../../src/protocol/schema.ts';
import { digest, makeThumbnail } from '../../src/world/provenance.ts';
import { nativeHashes } from './native-hashes.ts';
import { between, hashSeed, seededRandom } from './random.ts';

export interface EventSpec {
  runId: string;
  cameraId: string;
  eventId: string;
  /** Index into EVENT_KINDS. */
  kind: number;
  ts: number;
  /** Thumbnail sizes to pick from, per event (bytes, inclusive). */
  sizes: { min: number; max: number };
  key: string | Uint8Array;
}

export interface MadeEvent {
  kind: string;
  /** The thumbnail's exact bytes. */
  thumbnail: Uint8Array;
  /** Digest of the exact thumbnail bytes and their embedded check value, for the `sent` record. */
  digest: string;
  check: string;
}

export function makeEvent(spec: EventSpec): MadeEvent {
  const { runId, cameraId, eventId, key } = spec;
  const size = between(seededRandom(hashSeed(eventId)), spec.sizes.min, spec.sizes.max);
  const { bytes, check } = makeThumbnail({ runId, cameraId, eventId, size, key }, nativeHashes);
  return { kind: EVENT_KINDS[spec.kind]!, thumbnail: bytes, digest: digest(bytes, nativeHashes), check };
}
