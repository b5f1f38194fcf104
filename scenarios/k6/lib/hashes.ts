/** k6's native SHA-256 and HMAC for thumbnail provenance: the same results as Node's and the pure-JS pair. */
import crypto from 'k6/crypto';
import type { ProvenanceHashes } from '../../../src/world/provenance-core.ts';

/** k6/crypto takes ArrayBuffers; a view may sit inside a larger buffer, so copy exactly its bytes. */
function bufferOf(view: Uint8Array): ArrayBuffer {
  return view.slice().buffer as ArrayBuffer;
}

export const k6Hashes: ProvenanceHashes = {
  sha256: (data) => new Uint8Array(crypto.sha256(bufferOf(data), 'binary')),
  hmacSha256: (key, parts) => {
    const mac = crypto.createHMAC('sha256', bufferOf(key));
    for (const part of parts) mac.update(bufferOf(part));
    return new Uint8Array(mac.digest('binary') as unknown as ArrayBuffer);
  },
};
