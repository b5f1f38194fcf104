/** Decoding a camera's base64 thumbnail strictly: bad base64 is refused, never silently repaired. */
import { MAX_THUMBNAIL_BYTES } from '../../../src/protocol/schema.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export type ThumbnailResult = { ok: true; bytes: Buffer } | { ok: false; code: 'bad_thumbnail' | 'thumbnail_too_large'; message: string };

export function decodeThumbnail(text: string): ThumbnailResult {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return { ok: false, code: 'bad_thumbnail', message: 'thumbnail is not valid base64' };
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const size = (text.length / 4) * 3 - padding;
  if (size > MAX_THUMBNAIL_BYTES) {
    return { ok: false, code: 'thumbnail_too_large', message: `thumbnail is ${size} bytes; at most ${MAX_THUMBNAIL_BYTES} are allowed` };
  }
  return { ok: true, bytes: Buffer.from(text, 'base64') };
}
