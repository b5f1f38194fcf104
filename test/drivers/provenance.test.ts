import { describe, expect, it } from 'vitest';
import { nativeHashes } from '../../simulators/protocol/native-hashes.ts';
import { digest, makeThumbnail, readProvenance, verifyThumbnail } from '../../src/world/provenance.ts';

const spec = { runId: 'run-7', cameraId: 'cam-1', eventId: 'cam-1.e1', size: 4096, key: 'run-key' };

describe('thumbnail provenance', () => {
  it('round-trips the run, camera, event and check value', () => {
    const { bytes, check } = makeThumbnail(spec);
    expect(bytes.length).toBe(4096);
    expect(readProvenance(bytes)).toEqual({ runId: 'run-7', cameraId: 'cam-1', eventId: 'cam-1.e1', check });
    expect(check).toMatch(/^[0-9a-f]{32}$/);
    expect(verifyThumbnail(bytes, 'run-key')).toBe(true);
  });

  it('gives the same bytes for the same inputs and different bytes for another event', () => {
    const a = makeThumbnail(spec);
    const b = makeThumbnail(spec);
    const c = makeThumbnail({ ...spec, eventId: 'cam-1.e2' });
    expect(digest(a.bytes)).toBe(digest(b.bytes));
    expect(a.check).toBe(b.check);
    expect(digest(c.bytes)).not.toBe(digest(a.bytes));
    expect(c.check).not.toBe(a.check);
  });

  it('fills with binary bytes, zeros included', () => {
    const { bytes } = makeThumbnail({ ...spec, size: 8192 });
    const filler = bytes.subarray(64);
    expect(filler.some((byte) => byte === 0)).toBe(true);
    expect(filler.some((byte) => byte > 127)).toBe(true);
    expect(new Set(filler).size).toBeGreaterThan(200);
  });

  it('detects an altered, cut or re-keyed thumbnail', () => {
    const { bytes } = makeThumbnail(spec);
    const altered = bytes.slice();
    altered[3000] = altered[3000]! ^ 1;
    expect(verifyThumbnail(altered, 'run-key')).toBe(false);
    expect(digest(altered)).not.toBe(digest(bytes));
    expect(verifyThumbnail(bytes.subarray(0, 2000), 'run-key')).toBe(false);
    expect(verifyThumbnail(bytes, 'another-key')).toBe(false);
    // A cut thumbnail still says whose it was: the digest tells it apart from the original.
    expect(readProvenance(bytes.subarray(0, 2000))?.eventId).toBe('cam-1.e1');
  });

  it('reads no provenance from foreign or truncated bytes', () => {
    expect(readProvenance(new Uint8Array(0))).toBeNull();
    expect(readProvenance(new TextEncoder().encode('\x89PNG\r\n\x1a\n not ours'))).toBeNull();
    expect(readProvenance(makeThumbnail(spec).bytes.subarray(0, 20))).toBeNull();
  });

  it('refuses sizes out of range and ids too long with one clear error', () => {
    expect(() => makeThumbnail({ ...spec, size: 64 * 1024 + 1 })).toThrow(RangeError);
    expect(() => makeThumbnail({ ...spec, size: 10 })).toThrow(/thumbnail size/);
    expect(() => makeThumbnail({ ...spec, runId: 'x'.repeat(300) })).toThrow(/1\.\.255 printable ASCII/);
    expect(() => makeThumbnail({ ...spec, cameraId: 'caméra' })).toThrow(RangeError);
    expect(makeThumbnail({ ...spec, size: 64 * 1024 }).bytes.length).toBe(65536);
  });

  it('keys with any text: the same key as text or as its UTF-8 bytes gives the same check', () => {
    const text = makeThumbnail({ ...spec, key: 'clé-🔑' });
    const bytes = makeThumbnail({ ...spec, key: new TextEncoder().encode('clé-🔑') });
    expect(text.check).toBe(bytes.check);
    expect(verifyThumbnail(text.bytes, 'clé-🔑')).toBe(true);
  });

  it('gives identical bytes, checks and digests with native hashes as with the pure ones', () => {
    for (const size of [256, 4096, 65536]) {
      const pure = makeThumbnail({ ...spec, size });
      const native = makeThumbnail({ ...spec, size }, nativeHashes);
      expect(native.check).toBe(pure.check);
      expect(digest(native.bytes, nativeHashes)).toBe(digest(pure.bytes));
      expect(verifyThumbnail(pure.bytes, 'run-key', nativeHashes)).toBe(true);
      expect(verifyThumbnail(native.bytes, 'run-key')).toBe(true);
    }
  });

  it('digests differ from the check value and depend on every byte', () => {
    const { bytes, check } = makeThumbnail(spec);
    expect(digest(bytes)).not.toBe(check);
    expect(digest(bytes.subarray(0, 4095))).not.toBe(digest(bytes));
  });
});
