/**
 * One camera event on the wire: the `event` frame with its provenance-carrying thumbnail, and what the camera
 * records about it. Everything is derived from the ids, so a resend rebuilds the very same bytes and a camera
 * keeps nothing large per unacknowledged event.
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

export interface EventFrame {
  /** The JSON text frame for `/v1/device`. */
  frame: string;
  kind: string;
  bytes: number;
  /** Digest of the exact thumbnail bytes and their embedded check value, for the `sent` record. */
  digest: string;
  check: string;
}

export function eventFrame(spec: EventSpec): EventFrame {
  const { runId, cameraId, eventId, ts, key } = spec;
  const size = between(seededRandom(hashSeed(eventId)), spec.sizes.min, spec.sizes.max);
  const { bytes, check } = makeThumbnail({ runId, cameraId, eventId, size, key }, nativeHashes);
  const kind = EVENT_KINDS[spec.kind]!;
  const thumbnail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return {
    frame: JSON.stringify({ type: 'event', eventId, kind, ts, thumbnail }),
    kind,
    bytes: bytes.length,
    digest: digest(bytes, nativeHashes),
    check,
  };
}
