/**
 * The user sims' HTTP client: undici requests on a shared keep-alive agent, each with a timeout and the fleet's
 * abort signal. A target that answers garbage, hangs or drops the connection gives a `Problem`, never a throw, so
 * the caller records it as an `error` and carries on.
 */
import { Agent, request } from 'undici';
import type { z } from 'zod';
import { redirectRefused } from '../../src/protocol/redirect.ts';

export type Answer<T> =
  | { ok: true; status: number; value: T }
  /** `status` is 0 when no HTTP answer came at all (refused, reset, timed out). */
  | { ok: false; status: number; problem: string };

export class TargetClient {
  constructor(
    private readonly httpBase: string,
    private readonly agent: Agent,
    private readonly timeoutMs: number,
    private readonly stopSignal: AbortSignal,
  ) {}

  /** A JSON call whose 2xx answer must match `schema`; other statuses come back as problems carrying the status. */
  async json<T>(method: 'GET' | 'POST', path: string, token: string | undefined, schema: z.ZodType<T>, body?: unknown): Promise<Answer<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      const answer = await request(this.httpBase + path, {
        method, headers, dispatcher: this.agent, signal: this.signal(),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await answer.body.text();
      if (answer.statusCode < 200 || answer.statusCode > 299) {
        const problem = redirectRefused(answer.statusCode) ?? `answered ${answer.statusCode}`;
        return { ok: false, status: answer.statusCode, problem: `${method} ${pathOnly(path)} ${problem}` };
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return { ok: false, status: answer.statusCode, problem: `${method} ${pathOnly(path)} answered non-JSON: ${text.slice(0, 80)}` };
      }
      const checked = schema.safeParse(parsed);
      if (!checked.success) {
        return { ok: false, status: answer.statusCode, problem: `${method} ${pathOnly(path)} answered the wrong shape: ${checked.error.issues[0]?.message ?? ''}` };
      }
      return { ok: true, status: answer.statusCode, value: checked.data };
    } catch (error) {
      return { ok: false, status: 0, problem: `${method} ${pathOnly(path)} failed: ${(error as Error).message}` };
    }
  }

  /** Raw bytes of a 2xx answer, at most `maxBytes` (a larger body is a problem); other statuses carry no bytes. */
  async bytes(path: string, token: string, maxBytes: number): Promise<Answer<Uint8Array | undefined>> {
    try {
      const answer = await request(this.httpBase + path, {
        method: 'GET', headers: { authorization: `Bearer ${token}` }, dispatcher: this.agent, signal: this.signal(),
      });
      if (answer.statusCode < 200 || answer.statusCode > 299) {
        await answer.body.dump();
        return { ok: true, status: answer.statusCode, value: undefined };
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of answer.body as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > maxBytes) {
          answer.body.destroy();
          return { ok: false, status: answer.statusCode, problem: `GET ${path} answered more than ${maxBytes} bytes` };
        }
        chunks.push(chunk);
      }
      return { ok: true, status: answer.statusCode, value: new Uint8Array(Buffer.concat(chunks, total)) };
    } catch (error) {
      return { ok: false, status: 0, problem: `GET ${path} failed: ${(error as Error).message}` };
    }
  }

  private signal(): AbortSignal {
    return AbortSignal.any([this.stopSignal, AbortSignal.timeout(this.timeoutMs)]);
  }
}

/** Paths in problems leave the query out: cursors are noise in an error count. */
function pathOnly(path: string): string {
  const query = path.indexOf('?');
  return query < 0 ? path : path.slice(0, query);
}
