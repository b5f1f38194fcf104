/**
 * Thumbnail provenance for Node callers: the format lives in provenance-core.ts (pure, import-free); this file
 * adds the pure-JS hashes from @noble/hashes as the default, so callers without native crypto need pass nothing.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as core from './provenance-core.ts';
import type { ProvenanceHashes, Thumbnail, ThumbnailSpec } from './provenance-core.ts';

export { readProvenance } from './provenance-core.ts';
export type { ProvenanceHashes, Thumbnail, ThumbnailSpec } from './provenance-core.ts';

export const pureHashes: ProvenanceHashes = {
  sha256: (data) => sha256(data),
  hmacSha256: (key, parts) => {
    const mac = hmac.create(sha256, key);
    for (const part of parts) mac.update(part);
    return mac.digest();
  },
};

/** Builds a thumbnail carrying provenance. Throws a RangeError for ids too long or a size out of range. */
export function makeThumbnail(spec: ThumbnailSpec, hashes: ProvenanceHashes = pureHashes): Thumbnail {
  return core.makeThumbnail(spec, hashes);
}

/** True when the bytes are whole and their check value matches the run key: nothing was altered or cut. */
export function verifyThumbnail(bytes: Uint8Array, key: Uint8Array | string, hashes: ProvenanceHashes = pureHashes): boolean {
  return core.verifyThumbnail(bytes, key, hashes);
}

/** SHA-256 of the exact bytes, 128 bits as hex: what cameras and users both record. */
export function digest(bytes: Uint8Array, hashes: ProvenanceHashes = pureHashes): string {
  return core.digest(bytes, hashes);
}
