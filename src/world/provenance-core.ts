/**
 * Thumbnail provenance: bytes a simulated camera uploads that say, verifiably, which run, camera and event they
 * belong to. When a user is handed a thumbnail, the oracle reads these fields back and knows whose picture it was,
 * without trusting the target's metadata.
 *
 * Layout (all integers big-endian):
 *   magic "STMPTHB1" (8) | u8 len + runId | u8 len + cameraId | u8 len + eventId | u32 total size |
 *   check (16) | filler (seeded, binary, zeros included) up to the total size
 * The check is HMAC-SHA256 with the run key over every byte except the check itself, truncated to 128 bits, so a
 * target cannot forge or splice a thumbnail that still matches what the camera recorded.
 *
 * Pure and import-free at run time: no Node built-ins, no npm packages, no TextEncoder/TextDecoder (ids are ASCII
 * by the protocol), so any JavaScript runtime loads it and passes its own hashes. provenance.ts adds pure-JS
 * defaults.
 */
import { MAX_THUMBNAIL_BYTES } from '../protocol/limits.ts';
import type { ThumbnailProvenance } from './history.ts';

/**
 * The two hash functions provenance needs. Every caller passes its own pair (pure JS, Node's crypto), which
 * must give identical results (test/drivers/provenance.test.ts checks that).
 */
export interface ProvenanceHashes {
  sha256(data: Uint8Array): Uint8Array;
  /** HMAC-SHA256 of the concatenation of `parts`. */
  hmacSha256(key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const MAGIC = asciiBytes('STMPTHB1');
const CHECK_BYTES = 16;
const MAX_FIELD_BYTES = 255;

/** What a camera needs to build one thumbnail; the same inputs always give the same bytes. */
export interface ThumbnailSpec {
  runId: string;
  cameraId: string;
  eventId: string;
  /** Total size in bytes, header included; at most 64 KiB. */
  size: number;
  /** The run key the check value is keyed with; never leaves the harness. */
  key: Uint8Array | string;
}

export interface Thumbnail {
  bytes: Uint8Array;
  /** The embedded check value as hex, recorded by the camera in its `sent` record. */
  check: string;
}

/** Builds a thumbnail carrying provenance. Throws a RangeError for ids too long or a size out of range. */
export function makeThumbnail(spec: ThumbnailSpec, hashes: ProvenanceHashes): Thumbnail {
  const fields = [spec.runId, spec.cameraId, spec.eventId].map((field) => {
    if (field.length === 0 || field.length > MAX_FIELD_BYTES || !PRINTABLE_ASCII.test(field)) {
      throw new RangeError(`thumbnail provenance fields must be 1..${MAX_FIELD_BYTES} printable ASCII characters, got "${field.slice(0, 80)}"`);
    }
    return asciiBytes(field);
  });
  const headerLength = MAGIC.length + fields.reduce((sum, field) => sum + 1 + field.length, 0) + 4;
  const checkAt = headerLength;
  const fillerAt = checkAt + CHECK_BYTES;
  if (!Number.isInteger(spec.size) || spec.size < fillerAt || spec.size > MAX_THUMBNAIL_BYTES) {
    throw new RangeError(`thumbnail size must be an integer in ${fillerAt}..${MAX_THUMBNAIL_BYTES}, got ${spec.size}`);
  }
  const bytes = new Uint8Array(spec.size);
  bytes.set(MAGIC, 0);
  let at = MAGIC.length;
  for (const field of fields) {
    bytes[at++] = field.length;
    bytes.set(field, at);
    at += field.length;
  }
  new DataView(bytes.buffer).setUint32(at, spec.size);
  fillSeeded(bytes.subarray(fillerAt), seedOf(`${spec.runId}/${spec.cameraId}/${spec.eventId}`));
  const check = computeCheck(bytes, checkAt, spec.key, hashes);
  bytes.set(check, checkAt);
  return { bytes, check: bytesToHex(check) };
}

/** Reads the provenance a thumbnail carries, or null when the bytes carry none (no magic, a cut header). */
export function readProvenance(bytes: Uint8Array): ThumbnailProvenance | null {
  const header = parseHeader(bytes);
  if (!header) return null;
  const { runId, cameraId, eventId, checkAt } = header;
  return { runId, cameraId, eventId, check: bytesToHex(bytes.subarray(checkAt, checkAt + CHECK_BYTES)) };
}

/** True when the bytes are whole and their check value matches the run key: nothing was altered or cut. */
export function verifyThumbnail(bytes: Uint8Array, key: Uint8Array | string, hashes: ProvenanceHashes): boolean {
  const header = parseHeader(bytes);
  if (!header || header.size !== bytes.length) return false;
  const expected = computeCheck(bytes, header.checkAt, key, hashes);
  let difference = 0;
  for (let i = 0; i < CHECK_BYTES; i++) difference |= expected[i]! ^ bytes[header.checkAt + i]!;
  return difference === 0;
}

/**
 * A digest of the exact bytes (SHA-256, 128 bits as hex). The camera and the user both record it, so the oracle
 * only compares strings to know a user got byte for byte what the camera sent.
 */
export function digest(bytes: Uint8Array, hashes: ProvenanceHashes): string {
  return bytesToHex(hashes.sha256(bytes).subarray(0, 16));
}

interface Header {
  runId: string;
  cameraId: string;
  eventId: string;
  size: number;
  checkAt: number;
}

function parseHeader(bytes: Uint8Array): Header | null {
  if (bytes.length < MAGIC.length) return null;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return null;
  let at = MAGIC.length;
  const fields: string[] = [];
  for (let f = 0; f < 3; f++) {
    const length = bytes[at];
    if (length === undefined || length === 0 || at + 1 + length > bytes.length) return null;
    let field = '';
    for (let i = at + 1; i <= at + length; i++) {
      const code = bytes[i]!;
      if (code < 0x20 || code > 0x7e) return null;
      field += String.fromCharCode(code);
    }
    fields.push(field);
    at += 1 + length;
  }
  if (at + 4 + CHECK_BYTES > bytes.length) return null;
  const size = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at);
  const [runId, cameraId, eventId] = fields as [string, string, string];
  return { runId, cameraId, eventId, size, checkAt: at + 4 };
}

function computeCheck(bytes: Uint8Array, checkAt: number, key: Uint8Array | string, hashes: ProvenanceHashes): Uint8Array {
  const keyBytes = typeof key === 'string' ? utf8Bytes(key) : key;
  const parts = [bytes.subarray(0, checkAt), bytes.subarray(checkAt + CHECK_BYTES)];
  return hashes.hmacSha256(keyBytes, parts).subarray(0, CHECK_BYTES);
}

/** FNV-1a: a stable 32-bit seed from text, so resends rebuild identical filler. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0 || 1;
}

/**
 * Filler that looks like compressed image data to a target that peeks: mostly noise, with runs of zeros now and
 * then, so a target mangling NULs or treating the bytes as text is caught by the digest.
 */
function fillSeeded(out: Uint8Array, seed: number): void {
  let state = seed;
  let i = 0;
  while (i < out.length) {
    // xorshift32: tiny, fast, and identical in every JS runtime.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const word = state >>> 0;
    if ((word & 0xff) < 6) {
      i += 4 + (word >>> 27); // a run of zeros; the array starts zeroed
      continue;
    }
    out[i++] = word >>> 8;
    if (i < out.length) out[i++] = word >>> 16;
    if (i < out.length) out[i++] = word >>> 24;
  }
}

function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** UTF-8 of a run key, which may be any text. */
function utf8Bytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return Uint8Array.from(out);
}

const HEX = '0123456789abcdef';

function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += HEX[bytes[i]! >> 4]! + HEX[bytes[i]! & 15]!;
  return hex;
}
