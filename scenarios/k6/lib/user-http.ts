/**
 * The user VU's calls to the target with k6/http: each with a timeout, tagged by route so k6's own metrics stay
 * readable, and turned into an answer or a problem (never a throw), as the Node users' client does.
 */
import http, { type RefinedResponse, type ResponseType } from 'k6/http';

export type Answer<T> = { ok: true; status: number; value: T } | { ok: false; status: number; problem: string };

const TIMEOUT = '5s';

export class TargetCalls {
  constructor(private readonly httpBase: string) {}

  /** A JSON call whose 2xx body must pass `accept`; other statuses are problems carrying the status. */
  json<T>(method: 'GET' | 'POST', path: string, route: string, token: string | undefined, accept: (body: unknown) => T | undefined, body?: unknown): Answer<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const params = { headers, timeout: TIMEOUT, tags: { name: route } };
    const answer = method === 'GET'
      ? http.get(this.httpBase + path, params)
      : http.post(this.httpBase + path, body === undefined ? null : JSON.stringify(body), params);
    if (answer.status < 200 || answer.status > 299) return this.problem(method, route, answer);
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof answer.body === 'string' ? answer.body : '');
    } catch {
      return { ok: false, status: answer.status, problem: `${method} ${route} answered non-JSON` };
    }
    const value = accept(parsed);
    if (value === undefined) return { ok: false, status: answer.status, problem: `${method} ${route} answered the wrong shape` };
    return { ok: true, status: answer.status, value };
  }

  /** Raw bytes of a 2xx answer; other statuses carry none. */
  bytes(path: string, route: string, token: string): Answer<Uint8Array | undefined> {
    const answer = http.get(this.httpBase + path, { headers: { authorization: `Bearer ${token}` }, timeout: TIMEOUT, responseType: 'binary', tags: { name: route } });
    if (answer.status === 0) return this.problem('GET', route, answer);
    if (answer.status < 200 || answer.status > 299) return { ok: true, status: answer.status, value: undefined };
    const body = answer.body as ArrayBuffer | null;
    return { ok: true, status: answer.status, value: new Uint8Array(body ?? new ArrayBuffer(0)) };
  }

  private problem<R extends ResponseType | undefined>(method: string, route: string, answer: RefinedResponse<R>): Answer<never> {
    const why = answer.status === 0 ? `failed: ${answer.error}` : `answered ${answer.status}`;
    return { ok: false, status: answer.status, problem: `${method} ${route} ${why}` };
  }
}

/** Light shape checks of the target's answers: what the records need, nothing the oracle does not judge. */
export const shapes = {
  login: (body: unknown) => {
    const token = (body as { token?: unknown } | null)?.token;
    return typeof token === 'string' && token.length > 0 ? { token } : undefined;
  },
  page: (body: unknown) => {
    const page = body as { events?: unknown; next?: unknown } | null;
    if (!page || !Array.isArray(page.events) || typeof page.next !== 'string') return undefined;
    const events = page.events.map((event: { eventId?: unknown; cameraId?: unknown; kind?: unknown; ts?: unknown }) =>
      ({ eventId: String(event.eventId), cameraId: String(event.cameraId), kind: String(event.kind), ts: Number(event.ts) }));
    return { events, next: page.next };
  },
  cameras: (body: unknown) => {
    const list = (body as { cameras?: unknown } | null)?.cameras;
    if (!Array.isArray(list)) return undefined;
    return list.map((camera: { cameraId?: unknown; role?: unknown }) =>
      ({ cameraId: String(camera.cameraId), role: camera.role === 'owner' ? 'owner' as const : 'shared' as const }));
  },
};
