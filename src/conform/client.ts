/**
 * A tiny HTTP client for the protocol: every call has a timeout, every answer is read whole up to its call's
 * bound, and a network failure becomes a CallFailed with a readable reason instead of undici's bare "fetch failed".
 * Redirects are answers, never followed.
 */
import { AnswerTooLarge, readBody } from '../protocol/answer-body.ts';
import { endpoint } from '../protocol/endpoint.ts';
import { fetchFailure } from '../protocol/fetch-failure.ts';
import { ANSWER_BOUNDS } from '../protocol/limits.ts';
import { redirectRefused } from '../protocol/redirect.ts';

/** What the target answered to one HTTP call. */
export interface Answer {
  /** `GET /v1/cameras`, for messages. */
  call: string;
  status: number;
  contentType: string;
  bytes: Buffer;
}

export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Serialised as the JSON body. */
  json?: unknown;
  /** Sent as is, for checking how malformed bodies are refused. */
  rawBody?: string;
  /** The most of the answer's body read; more is a CallFailed. Default: `ANSWER_BOUNDS.small`. */
  maxBytes?: number;
}

/** The target did not answer (refused, reset, timed out) or answered more than the call's bound. */
export class CallFailed extends Error {
  constructor(
    call: string,
    readonly reason: string,
  ) {
    super(`${call}: ${reason}`);
    this.name = 'CallFailed';
  }
}

export class TargetHttp {
  constructor(
    readonly base: URL,
    readonly timeoutMs: number,
  ) {}

  /** `path` under the base URL, keeping any path prefix the base has (`http://host/api` + `/v1/health`). */
  url(path: string, transport: 'http' | 'ws' = 'http'): string {
    return endpoint(this.base, path, transport);
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const call = `${method} ${path}`;
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.rawBody !== undefined) {
      headers['content-type'] = 'application/json';
      body = options.rawBody;
    }
    const url = this.url(path);
    try {
      // One signal bounds the whole exchange, body included, so a target that trickles bytes cannot stall us.
      const response = await fetch(url, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const bytes = await readBody(response.body, options.maxBytes ?? ANSWER_BOUNDS.small, call, response.headers.get('content-length'));
      return { call, status: response.status, contentType: response.headers.get('content-type') ?? '', bytes };
    } catch (error) {
      if (error instanceof AnswerTooLarge) throw new CallFailed(call, error.detail);
      throw new CallFailed(call, fetchFailure(error, url, this.timeoutMs));
    }
  }
}

/** A short, printable excerpt of an answer's body for failure messages; binary is summarised, not dumped. */
export function excerpt(bytes: Buffer, max = 120): string {
  if (bytes.length === 0) return '(empty body)';
  const sample = bytes.subarray(0, max);
  const unprintable = sample.filter((byte) => (byte < 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) || byte > 0x7e).length;
  if (unprintable > sample.length / 10) return `(${bytes.length} bytes of binary)`;
  const text = bytes.subarray(0, max).toString('utf8').replace(/[^\x20-\x7e]/g, '.');
  return bytes.length > max ? `${text}...` : text;
}

/** `GET /v1/cameras answered 500 {"error":...}`, the usual "seen" half of a mismatch. */
export function describeAnswer(answer: Answer): string {
  return `${answer.call} ${redirectRefused(answer.status) ?? `answered ${answer.status}`} ${excerpt(answer.bytes)}`;
}
