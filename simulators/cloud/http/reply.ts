/** Building and sending answers; every error leaves as `{"error":{"code","message"}}`. */
import type { ServerResponse } from 'node:http';
import type { Reply } from '../seams.ts';

/** An answer a handler gives up with; turned into an error body by the router. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function jsonReply(status: number, value: unknown): Reply {
  return jsonText(status, JSON.stringify(value));
}

export function jsonText(status: number, body: string): Reply {
  return { status, headers: { 'content-type': 'application/json' }, body };
}

export function noContent(): Reply {
  return { status: 204, headers: {}, body: '' };
}

export function errorReply(status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
  const reply = jsonReply(status, { error: { code, message } });
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

/** The reply for anything a handler threw; `log` hears about the unexpected ones. */
export function replyForError(error: unknown, log: (line: string) => void): Reply {
  if (error instanceof HttpError) return errorReply(error.status, error.code, error.message, error.headers);
  log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
  return errorReply(500, 'internal', 'the cloud failed to answer this request');
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
  res.end(body);
}
