/**
 * The harness's admin side of the reference protocol: health, seeding the world and applying access changes.
 * Admin calls go straight to the target, never through the fault proxy, so an injected outage cannot stop the
 * run from changing who owns what. The token is sent, never echoed into an error; a redirect is never followed.
 */
import { UnavailableError } from '../../src/errors.ts';
import { AnswerTooLarge, readBody, readExcerpt } from '../../src/protocol/answer-body.ts';
import { endpoint } from '../../src/protocol/endpoint.ts';
import { fetchFailure } from '../../src/protocol/fetch-failure.ts';
import { ANSWER_BOUNDS } from '../../src/protocol/limits.ts';
import { redirectRefused } from '../../src/protocol/redirect.ts';
import { ErrorBody, Health, type WorldSeed } from '../../src/protocol/schema.ts';
import type { AccessChange } from '../../src/world/types.ts';

/** An admin call that did not answer as the protocol says; `status` is 0 when no answer came at all. */
export class AdminCallError extends Error {
  constructor(readonly call: string, readonly status: number, readonly reason: string) {
    super(`${call}: ${status === 0 ? `no answer (${reason})` : reason}`);
    this.name = 'AdminCallError';
  }
}

export interface AdminClient {
  health(): Promise<{ capabilities: string[] }>;
  seed(world: WorldSeed): Promise<void>;
  apply(change: AccessChange): Promise<void>;
}

export interface AdminClientOptions {
  /** How long one call may take; a target silent for longer has no answer. */
  timeoutMs?: number;
  /** The run's Ctrl-C: ends any call in flight at once, rejecting with the signal's reason, not a timeout. */
  signal?: AbortSignal;
}

export function adminClient(base: string, adminToken: string, options: AdminClientOptions = {}): AdminClient {
  const { timeoutMs = 10_000, signal } = options;
  /** One admin call; resolves with the answer's body, read to at most `ANSWER_BOUNDS.small`. */
  async function call(method: string, path: string, body?: unknown, expected = 204): Promise<Buffer> {
    const name = `${method} ${path}`;
    const url = endpoint(base, path);
    signal?.throwIfAborted();
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // Stopped by the run, not by the target: that is no answer to report.
      signal?.throwIfAborted();
      throw new AdminCallError(name, 0, fetchFailure(error, url, timeoutMs));
    }
    const redirect = redirectRefused(response.status);
    if (redirect) {
      await response.body?.cancel();
      throw new AdminCallError(name, response.status, redirect);
    }
    if (response.status !== expected) {
      const text = (await readExcerpt(response.body, ANSWER_BOUNDS.small).catch(() => Buffer.alloc(0))).toString('utf8');
      const parsed = ErrorBody.safeParse(safeJson(text));
      const detail = parsed.success ? `${parsed.data.error.code}: ${parsed.data.error.message}` : text.slice(0, 200);
      throw new AdminCallError(name, response.status, `answered ${response.status}, expected ${expected}${detail ? ` (${detail})` : ''}`);
    }
    try {
      return await readBody(response.body, ANSWER_BOUNDS.small, name, response.headers.get('content-length'));
    } catch (error) {
      if (error instanceof AnswerTooLarge) throw new AdminCallError(name, response.status, error.detail);
      throw new AdminCallError(name, response.status, `answer cut off (${fetchFailure(error, url, timeoutMs)})`);
    }
  }

  return {
    async health() {
      let answer: Buffer;
      try {
        answer = await call('GET', '/v1/health', undefined, 200);
      } catch (error) {
        if (error instanceof AdminCallError && error.status === 0) {
          throw new UnavailableError(`cannot reach the target at ${base} (${error.reason})`, 'is it running, and is the URL right?');
        }
        if (error instanceof AdminCallError) {
          throw new UnavailableError(`the target at ${base}: ${error.message}`, 'a camera cloud speaking the reference protocol (docs/protocol.md) answers 200 and one small JSON object');
        }
        throw error;
      }
      const parsed = Health.safeParse(safeJson(answer.toString('utf8')));
      if (!parsed.success) throw new UnavailableError(`the target at ${base} answered /v1/health with garbage`, 'is this a camera cloud speaking the reference protocol (docs/protocol.md)?');
      return { capabilities: parsed.data.capabilities };
    },
    async seed(world) {
      await call('PUT', '/v1/admin/world', world);
    },
    async apply(change) {
      const camera = `/v1/admin/cameras/${encodeURIComponent(change.cameraId)}`;
      if (change.kind === 'transfer') await call('PUT', `${camera}/owner`, { ownerId: change.toUserId });
      else if (change.kind === 'share') await call('PUT', `${camera}/shares/${encodeURIComponent(change.userId)}`);
      else await call('DELETE', `${camera}/shares/${encodeURIComponent(change.userId)}`);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
