/**
 * The reference protocol's user reads as plain HTTP (`UserHooks.http`): what `refresh-storm` hands to autocannon,
 * one connection per user. Parsing sits on that hot path, so it is JSON.parse and a look at the outer shape, no
 * zod: the driver checks every item's shape by hand afterwards (src/adapter/call.ts), as it does for the hooks.
 */
import { loggedOut, refused, targetFailed } from '../define.ts';
import type { CameraItem, EventPage, HttpAnswer, HttpUserCalls } from '../types.ts';
import { thumbnailPath } from '../../protocol/limits.ts';

export const userCalls: HttpUserCalls<string> = {
  events: {
    request: (token, page) => ({
      method: 'GET',
      path: page.cursor === undefined ? `/v1/events?limit=${page.limit}` : `/v1/events?limit=${page.limit}&since=${encodeURIComponent(page.cursor)}`,
      headers: bearer(token),
    }),
    parse(answer) {
      const body = jsonOf(answer, 'GET /v1/events') as { events?: unknown; next?: unknown };
      if (!Array.isArray(body.events)) throw targetFailed('GET /v1/events answered the wrong shape: no events array');
      return { events: body.events, next: typeof body.next === 'string' ? body.next : undefined } as EventPage;
    },
  },
  cameras: {
    request: (token) => ({ method: 'GET', path: '/v1/cameras', headers: bearer(token) }),
    parse(answer) {
      const body = jsonOf(answer, 'GET /v1/cameras') as { cameras?: unknown };
      if (!Array.isArray(body.cameras)) throw targetFailed('GET /v1/cameras answered the wrong shape: no cameras array');
      return body.cameras as CameraItem[];
    },
  },
  thumbnail: {
    request: (token, item) => ({ method: 'GET', path: thumbnailPath(encodeURIComponent(item.eventId)), headers: bearer(token) }),
    // A refusal is the answer here, not a throw: the oracle judges refusals of probes and taps alike.
    parse: (answer) => (answer.status >= 200 && answer.status <= 299 ? { status: answer.status, bytes: answer.body } : { status: answer.status }),
  },
};

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** The JSON of a 2xx answer; a 401 logs the user out, another status is the backend refusing. */
function jsonOf(answer: HttpAnswer, call: string): object {
  if (answer.status === 401) throw loggedOut();
  if (answer.status < 200 || answer.status > 299) throw refused(answer.status, `${call} answered ${answer.status}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength).toString('utf8'));
  } catch {
    throw targetFailed(`${call} answered non-JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw targetFailed(`${call} answered the wrong shape: not an object`);
  return parsed;
}
