/** Reading request bodies with a size limit, and validating them against the wire schema. */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { HttpError } from './reply.ts';

/** Bodies of every call but the world seed are small. */
export const SMALL_BODY_BYTES = 64 * 1024;

function tooLarge(limit: number): HttpError {
  // Closing the connection stops the client from sending the rest of a body we will not read.
  return new HttpError(413, 'payload_too_large', `the body is larger than ${limit} bytes`, { connection: 'close' });
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  // Plain listeners rather than `for await`: leaving an async iterator early destroys the socket, and the
  // client would never see its 413.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd);
      req.pause();
      reject(tooLarge(limit));
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    req.on('data', onData).on('end', onEnd).on('error', reject);
  });
}

/** The body parsed as JSON and checked against `schema`; 400 with the first problem otherwise. */
export async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S, limit = SMALL_BODY_BYTES): Promise<z.infer<S>> {
  const raw = await readBody(req, limit);
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad_request', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new HttpError(400, 'bad_request', `invalid body: ${where}${issue?.message ?? 'does not match the protocol'}`);
  }
  return parsed.data;
}
