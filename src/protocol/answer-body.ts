/**
 * Reading a target's answer bodies, bounded: the one place the admin client, the user drivers and conform read
 * what a target sends over HTTP. A body past its bound stops being read (the stream is cancelled) and becomes an
 * `AnswerTooLarge` naming the call and the bound, so a hostile target costs a few KiB, not the machine's memory.
 */
import { MAX_TARGET_FRAME_BYTES } from './limits.ts';

/** An answer body larger than the harness reads for that call. */
export class AnswerTooLarge extends Error {
  /** What happened, without the call: `answered more than 64 KiB, the most Stampede reads for that call`. */
  readonly detail: string;

  constructor(
    readonly call: string,
    readonly limit: number,
  ) {
    const detail = `answered more than ${bytesText(limit)}, the most Stampede reads for that call`;
    super(`${call} ${detail}`);
    this.name = 'AnswerTooLarge';
    this.detail = detail;
  }
}

/** A body as fetch (a web ReadableStream) or undici's request (a Node Readable) hands it over. */
export type AnswerStream = AsyncIterable<Uint8Array>;

/**
 * The whole body, at most `limit` bytes; throws `AnswerTooLarge` past it, without reading further. A declared
 * `content-length` over the bound fails before reading anything.
 */
export async function readBody(body: AnswerStream | null | undefined, limit: number, call: string, contentLength?: string | null): Promise<Buffer> {
  if (body == null) return Buffer.alloc(0);
  if (contentLength != null && Number(contentLength) > limit) {
    await cancel(body);
    throw new AnswerTooLarge(call, limit);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Leaving the loop early (the throw) ends the iteration, which cancels the stream or destroys the socket's body.
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > limit) throw new AnswerTooLarge(call, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** The first `limit` bytes of a body, the rest dropped unread: for error details, where an excerpt is all we print. */
export async function readExcerpt(body: AnswerStream | null | undefined, limit: number): Promise<Buffer> {
  if (body == null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    const room = limit - total;
    chunks.push(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
    total += Math.min(chunk.byteLength, room);
    if (total >= limit) break;
  }
  return Buffer.concat(chunks, total);
}

/** `64 KiB`, `2 MiB`, `512 bytes`: bounds as people write them. */
export function bytesText(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

async function cancel(body: AnswerStream): Promise<void> {
  await body[Symbol.asyncIterator]().return?.();
}

/**
 * A WebSocket client's error in words: a frame over `MAX_TARGET_FRAME_BYTES` (ws closes such a socket with 1009)
 * names the bound instead of ws's bare "Max payload size exceeded".
 */
export function socketErrorText(error: Error & { code?: string }, socket: string): string {
  if (error.code !== 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return error.message;
  return `${socket} sent a frame over ${bytesText(MAX_TARGET_FRAME_BYTES)}, the most Stampede reads from a target`;
}
