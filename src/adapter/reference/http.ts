/**
 * The reference adapter's HTTP client: undici requests on one keep-alive agent per run context, each cut at its
 * time limit or the run's stop (deadlines.ts), each answer read to at most its call's bound. A target that answers garbage,
 * too much, hangs or drops the connection gives a `Problem`, never a throw; `settled` turns it into the adapter
 * contract's terms (a `Refusal` for a refusing status, a `TargetFailure` for the rest).
 */
import { Agent, request } from 'undici';
import { Refusal, TargetFailure } from '../define.ts';
import type { AdapterContext } from '../types.ts';
import type { z } from 'zod';
import { AnswerTooLarge, readBody } from '../../protocol/answer-body.ts';
import { endpoint } from '../../protocol/endpoint.ts';
import { redirectRefused } from '../../protocol/redirect.ts';
import { Deadlines } from './deadlines.ts';

export type Answer<T> =
  | { ok: true; status: number; value: T }
  /** `status` is 0 when no HTTP answer came at all (refused, reset, timed out). */
  | { ok: false; status: number; problem: string };

export class TargetClient {
  private readonly deadlines: Deadlines;

  constructor(
    /** The target's base URL, path prefix included. */
    private readonly base: string,
    private readonly agent: Agent,
    timeoutMs: number,
    stopSignal: AbortSignal,
  ) {
    this.deadlines = new Deadlines(timeoutMs, stopSignal);
  }

  /**
   * A JSON call whose 2xx answer must match `schema` and be at most `maxBytes` long; other statuses come back as
   * problems carrying the status.
   */
  json<T>(method: 'GET' | 'POST', path: string, token: string | undefined, schema: z.ZodType<T>, maxBytes: number, body?: unknown): Promise<Answer<T>> {
    return this.deadlines.within((signal) => this.jsonWithin(signal, method, path, token, schema, maxBytes, body));
  }

  /** Raw bytes of a 2xx answer, at most `maxBytes` (a larger body is a problem); other statuses carry no bytes. */
  bytes(path: string, token: string, maxBytes: number): Promise<Answer<Uint8Array | undefined>> {
    return this.deadlines.within((signal) => this.bytesWithin(signal, path, token, maxBytes));
  }

  private async jsonWithin<T>(signal: AbortSignal, method: 'GET' | 'POST', path: string, token: string | undefined, schema: z.ZodType<T>, maxBytes: number, body?: unknown): Promise<Answer<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const call = `${method} ${pathOnly(path)}`;
    let status = 0;
    try {
      const answer = await request(endpoint(this.base, path), {
        method, headers, dispatcher: this.agent, signal,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      status = answer.statusCode;
      if (status < 200 || status > 299) {
        await answer.body.dump();
        return { ok: false, status, problem: `${call} ${redirectRefused(status) ?? `answered ${status}`}` };
      }
      const text = (await readBody(answer.body, maxBytes, call, header(answer.headers['content-length']))).toString('utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return { ok: false, status, problem: `${call} answered non-JSON: ${text.slice(0, 80)}` };
      }
      const checked = schema.safeParse(parsed);
      if (!checked.success) {
        return { ok: false, status, problem: `${call} answered the wrong shape: ${checked.error.issues[0]?.message ?? ''}` };
      }
      return { ok: true, status, value: checked.data };
    } catch (error) {
      if (error instanceof AnswerTooLarge) return { ok: false, status, problem: error.message };
      return { ok: false, status: 0, problem: `${call} failed: ${(error as Error).message}` };
    }
  }

  private async bytesWithin(signal: AbortSignal, path: string, token: string, maxBytes: number): Promise<Answer<Uint8Array | undefined>> {
    let status = 0;
    try {
      const answer = await request(endpoint(this.base, path), {
        method: 'GET', headers: { authorization: `Bearer ${token}` }, dispatcher: this.agent, signal,
      });
      status = answer.statusCode;
      if (status < 200 || status > 299) {
        await answer.body.dump();
        return { ok: true, status, value: undefined };
      }
      const bytes = await readBody(answer.body, maxBytes, `GET ${path}`, header(answer.headers['content-length']));
      return { ok: true, status, value: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    } catch (error) {
      if (error instanceof AnswerTooLarge) return { ok: false, status, problem: error.message };
      return { ok: false, status: 0, problem: `GET ${path} failed: ${(error as Error).message}` };
    }
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Paths in problems leave the query out: cursors are noise in an error count. */
function pathOnly(path: string): string {
  const query = path.indexOf('?');
  return query < 0 ? path : path.slice(0, query);
}

/** Keep-alive connections to the target per run context, shared by all its users (undici opens them as needed). */
const CONNECTIONS = 512;
const clients = new WeakMap<AdapterContext, TargetClient>();

/** The context's client: one agent per run context, destroyed when the run's signal aborts. */
export function clientFor(ctx: AdapterContext): TargetClient {
  let client = clients.get(ctx);
  if (!client) {
    const agent = new Agent({ connections: CONNECTIONS, keepAliveTimeout: 10_000, headersTimeout: ctx.timeoutMs, bodyTimeout: ctx.timeoutMs });
    client = new TargetClient(ctx.endpoints.target!, agent, ctx.timeoutMs, ctx.signal);
    clients.set(ctx, client);
    ctx.signal.addEventListener('abort', () => void agent.destroy().catch(() => undefined), { once: true });
  }
  return client;
}

/** The answer's value, or the throw the contract asks for: a refusing status is the backend's answer. */
export function settled<T>(answer: Answer<T>): T {
  if (answer.ok) return answer.value;
  if (answer.status >= 300) throw new Refusal(answer.status, answer.problem);
  throw new TargetFailure(answer.problem);
}
