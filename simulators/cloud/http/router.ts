/**
 * The route table of the HTTP API. Routing happens on the raw path: ids match ^[A-Za-z0-9._-]{1,64}$, so a
 * path segment that needs decoding is never an id. Every answer, error or not, is built as a Reply first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CAPABILITIES } from '../../../src/protocol/schema.ts';
import type { CloudContext } from '../context.ts';
import type { Reply } from '../seams.ts';
import { replaceWorld, revokeShare, shareCamera, transferCamera } from './admin.ts';
import { authenticate, listCameras, listEvents, login, thumbnail } from './app.ts';
import { HttpError, errorReply, jsonReply, replyForError, send } from './reply.ts';

type Handler = (ctx: CloudContext, req: IncomingMessage, params: string[], query: URLSearchParams) => Promise<Reply>;

interface Route {
  path: RegExp;
  methods: Partial<Record<string, Handler>>;
}

const ID = '([A-Za-z0-9._-]{1,64})';

/** A GET of the app: authenticated, run as that user, and passed through the response middleware. */
function userGet(handle: (ctx: CloudContext, params: string[], query: URLSearchParams) => Promise<Reply>): Handler {
  return (ctx, req, params, query) =>
    ctx.parts.responses.serve({ url: req.url ?? '/', headers: req.headers }, async () => {
      try {
        const userId = await authenticate(ctx, req.headers.authorization);
        return await ctx.parts.userContext.bind(userId, () => handle(ctx, params, query));
      } catch (error) {
        return replyForError(error, ctx.log);
      }
    });
}

const upgradeOnly: Handler = async () => {
  throw new HttpError(426, 'upgrade_required', 'this path is a WebSocket endpoint', { upgrade: 'websocket' });
};

const routes: Route[] = [
  { path: /^\/v1\/health$/, methods: { GET: async () => jsonReply(200, { status: 'ok', capabilities: [...CAPABILITIES] }) } },
  { path: /^\/v1\/admin\/world$/, methods: { PUT: (ctx, req) => replaceWorld(ctx, req) } },
  { path: new RegExp(`^/v1/admin/cameras/${ID}/owner$`), methods: { PUT: (ctx, req, [cameraId]) => transferCamera(ctx, req, cameraId!) } },
  {
    path: new RegExp(`^/v1/admin/cameras/${ID}/shares/${ID}$`),
    methods: {
      PUT: (ctx, req, [cameraId, userId]) => shareCamera(ctx, req, cameraId!, userId!),
      DELETE: (ctx, req, [cameraId, userId]) => revokeShare(ctx, req, cameraId!, userId!),
    },
  },
  { path: /^\/v1\/login$/, methods: { POST: (ctx, req) => login(ctx, req) } },
  { path: /^\/v1\/cameras$/, methods: { GET: userGet((ctx) => listCameras(ctx)) } },
  { path: /^\/v1\/events$/, methods: { GET: userGet((ctx, _params, query) => listEvents(ctx, query)) } },
  { path: new RegExp(`^/v1/events/${ID}/thumbnail$`), methods: { GET: userGet((ctx, [eventId]) => thumbnail(ctx, eventId!)) } },
  { path: /^\/v1\/(stream|device)$/, methods: { GET: upgradeOnly } },
];

async function route(ctx: CloudContext, req: IncomingMessage): Promise<Reply> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://cloud.invalid');
  } catch {
    return errorReply(400, 'bad_request', 'the request target is not a valid path');
  }
  for (const { path, methods } of routes) {
    const match = path.exec(url.pathname);
    if (!match) continue;
    const handle = methods[req.method ?? ''];
    if (!handle) {
      const allow = Object.keys(methods).join(', ');
      return errorReply(405, 'method_not_allowed', `${req.method} is not allowed here; use ${allow}`, { allow });
    }
    return handle(ctx, req, match.slice(1), url.searchParams);
  }
  return errorReply(404, 'not_found', `no such path: ${url.pathname}`);
}

/** The request listener of the cloud's HTTP server; never rejects. */
export function handleRequest(ctx: CloudContext, req: IncomingMessage, res: ServerResponse): void {
  route(ctx, req)
    .catch((error: unknown) => replyForError(error, ctx.log))
    .then((reply) => {
      // A body nobody read is drained so the connection can carry the next request; a refused oversized
      // body is not: that connection closes instead.
      if (reply.status !== 413 && !req.readableEnded) req.resume();
      send(res, reply);
    })
    .catch((error: unknown) => ctx.log(`could not answer: ${error instanceof Error ? error.message : String(error)}`));
}
