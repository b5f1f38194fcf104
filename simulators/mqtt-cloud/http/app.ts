/**
 * The app API: a session cookie from `POST /api/session`, the devices list with the user's access, the feed with
 * offset paging, snapshot bytes, and the push stream. Who is asking is read from the shared request context
 * (`userContext.current()`), as in the reference cloud.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJson } from '../../cloud/http/body.ts';
import { HttpError, jsonReply, jsonText } from '../../cloud/http/reply.ts';
import type { Reply } from '../../cloud/seams.ts';
import { sessionToken, type MqttCloudContext } from '../context.ts';
import { MAX_FEED_COUNT, SESSION_COOKIE, SessionRequest, feedItem } from '../wire.ts';

const DEFAULT_COUNT = 50;

export async function openSession(ctx: MqttCloudContext, req: IncomingMessage): Promise<Reply> {
  const { username, passphrase } = await readJson(req, SessionRequest);
  const session = ctx.store.login(username, passphrase);
  if (!session) throw new HttpError(401, 'unauthorized', 'unknown username or wrong passphrase');
  ctx.views.rememberToken(session.token, session.userId);
  return {
    ...jsonReply(200, { account: { id: session.userId } }),
    headers: { 'content-type': 'application/json', 'set-cookie': `${SESSION_COOKIE}=${session.token}; Path=/; HttpOnly; SameSite=Strict` },
  };
}

/** The user of a request's session cookie; 401 when missing or unknown. */
export async function authenticate(ctx: MqttCloudContext, req: IncomingMessage): Promise<string> {
  const token = sessionToken(req.headers.cookie, SESSION_COOKIE);
  const userId = token === undefined ? undefined : await ctx.views.userOfToken(token);
  if (userId === undefined) throw new HttpError(401, 'unauthorized', `log in with POST /api/session and send its ${SESSION_COOKIE} cookie`);
  return userId;
}

export async function listDevices(ctx: MqttCloudContext): Promise<Reply> {
  const userId = ctx.parts.userContext.current();
  const devices = [...ctx.store.camerasOf(userId)]
    .sort((a, b) => (a.cameraId < b.cameraId ? -1 : a.cameraId > b.cameraId ? 1 : 0))
    .map((camera) => ({ device_id: camera.cameraId, access: camera.role === 'owner' ? 'owner' : 'guest', online: ctx.presence.isOnline(camera.cameraId) }));
  return jsonReply(200, { devices });
}

function integerParameter(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^\d{1,9}$/.test(text) || value < min || value > max) throw new HttpError(400, 'bad_request', `${name} must be an integer from ${min} to ${max}`);
  return value;
}

export async function listFeed(ctx: MqttCloudContext, query: URLSearchParams): Promise<Reply> {
  const offset = integerParameter(query, 'offset', 0, 0, 999_999_999);
  const count = integerParameter(query, 'count', DEFAULT_COUNT, 1, MAX_FEED_COUNT);
  const { store, views, parts } = ctx;
  const body = await views.eventPage(parts.userContext.current(), `o${offset}:${count}`, () => {
    const userId = parts.userContext.current();
    const page = store.events.pageAt(userId, offset, count, (event) => store.hasAccess(userId, event.cameraId));
    return JSON.stringify({ items: page.events.map(feedItem), next_offset: page.nextOffset });
  });
  return jsonText(200, body);
}

export async function snapshot(ctx: MqttCloudContext, eventId: string): Promise<Reply> {
  const userId = ctx.parts.userContext.current();
  const event = ctx.store.events.get(eventId);
  const visible = event !== undefined && event.audience.includes(userId) && ctx.store.hasAccess(userId, event.cameraId);
  // Unknown and not yours answer the same, so probing says nothing about other users' events.
  if (!visible) throw new HttpError(404, 'not_found', 'no such snapshot');
  return { status: 200, headers: { 'content-type': 'image/jpeg', 'cache-control': 'private, no-store' }, body: event.thumbnail };
}

/** `GET /api/push`: answered by the push gateway itself (it writes the stream), or by an error reply. */
export async function push(ctx: MqttCloudContext, req: IncomingMessage, res: ServerResponse): Promise<Reply | undefined> {
  const userId = await authenticate(ctx, req);
  try {
    await ctx.push.open(userId, res);
  } catch (error) {
    ctx.log(`push for ${userId} not opened: ${error instanceof Error ? error.message : String(error)}`);
    throw new HttpError(503, 'unavailable', 'the push service is not available; try again');
  }
  return undefined;
}
