/**
 * The app's calls: login, camera list, event list and thumbnails. Who is asking is always read from the
 * request context (`userContext.current()`), never from a variable captured before an await, because the
 * context is the part the github-2021 bug replaces.
 */
import type { IncomingMessage } from 'node:http';
import { LoginRequest, MAX_EVENTS_LIMIT, thumbnailPath } from '../../../src/protocol/schema.ts';
import { bearerToken, type CloudContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { Reply } from '../seams.ts';
import { readJson } from './body.ts';
import { HttpError, jsonReply, jsonText } from './reply.ts';

const DEFAULT_LIMIT = 100;

export async function login(ctx: CloudContext, req: IncomingMessage): Promise<Reply> {
  const { email, password } = await readJson(req, LoginRequest);
  const session = ctx.store.login(email, password);
  if (!session) throw new HttpError(401, 'unauthorized', 'unknown email or wrong password');
  ctx.views.rememberToken(session.token, session.userId);
  return jsonReply(200, session);
}

/** The user of a request's bearer token; 401 when missing or unknown. */
export async function authenticate(ctx: CloudContext, header: string | undefined): Promise<string> {
  const token = bearerToken(header);
  const userId = token === undefined ? undefined : await ctx.views.userOfToken(token);
  if (userId === undefined) throw new HttpError(401, 'unauthorized', 'a valid Authorization: Bearer <token> from /v1/login is needed');
  return userId;
}

export async function listCameras(ctx: CloudContext): Promise<Reply> {
  const userId = ctx.parts.userContext.current();
  // Sorted by id, so the answer does not depend on the order access was granted in: clients diff it.
  const cameras = [...ctx.store.camerasOf(userId)]
    .sort((a, b) => (a.cameraId < b.cameraId ? -1 : a.cameraId > b.cameraId ? 1 : 0))
    .map((camera) => ({ ...camera, online: ctx.devices.has(camera.cameraId) }));
  return jsonReply(200, { cameras });
}

export async function listEvents(ctx: CloudContext, query: URLSearchParams): Promise<Reply> {
  const since = query.get('since');
  const afterSeq = since === null ? 0 : decodeCursor(since);
  if (afterSeq === undefined) throw new HttpError(400, 'bad_request', 'since is not a cursor this cloud handed out');
  const limitText = query.get('limit');
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!/^\d{1,3}$/.test(limitText ?? '1') || !Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_LIMIT) {
    throw new HttpError(400, 'bad_request', `limit must be an integer from 1 to ${MAX_EVENTS_LIMIT}`);
  }
  const { store, views, parts } = ctx;
  const body = await views.eventPage(parts.userContext.current(), `${afterSeq}:${limit}`, () => {
    const userId = parts.userContext.current();
    // The index holds only events accepted while the user had access; what they lost since is left out.
    const page = store.events.page(userId, afterSeq, limit, (event) => store.hasAccess(userId, event.cameraId));
    const events = page.events.map(({ eventId, cameraId, kind, ts }) => ({ eventId, cameraId, kind, ts, thumbnail: thumbnailPath(eventId) }));
    return JSON.stringify({ events, next: encodeCursor(page.lastSeq) });
  });
  return jsonText(200, body);
}

export async function thumbnail(ctx: CloudContext, eventId: string): Promise<Reply> {
  const userId = ctx.parts.userContext.current();
  const event = ctx.store.events.get(eventId);
  const visible = event !== undefined && event.audience.includes(userId) && ctx.store.hasAccess(userId, event.cameraId);
  // Unknown and not yours answer the same, so probing says nothing about other users' events.
  if (!visible) throw new HttpError(404, 'not_found', 'no such event');
  return { status: 200, headers: { 'content-type': 'application/octet-stream', 'cache-control': 'private, no-store' }, body: event.thumbnail };
}
