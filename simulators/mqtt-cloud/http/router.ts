/** The MQTT cloud's route table. Errors leave as `{"ok":false,"reason":"..."}`, this API's own shape. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, jsonReply, send } from '../../cloud/http/reply.ts';
import type { Reply } from '../../cloud/seams.ts';
import type { MqttCloudContext } from '../context.ts';
import { addGuest, removeGuest, replaceWorld, transferDevice } from './admin.ts';
import { authenticate, listDevices, listFeed, openSession, push, snapshot } from './app.ts';

type Handler = (ctx: MqttCloudContext, req: IncomingMessage, res: ServerResponse, params: string[], query: URLSearchParams) => Promise<Reply | undefined>;

const ID = '([A-Za-z0-9._-]{1,64})';

/** An authenticated app GET, run as its user. */
function userGet(handle: (ctx: MqttCloudContext, params: string[], query: URLSearchParams) => Promise<Reply>): Handler {
  return async (ctx, req, _res, params, query) => {
    const userId = await authenticate(ctx, req);
    return ctx.parts.userContext.bind(userId, () => handle(ctx, params, query));
  };
}

const routes: { path: RegExp; methods: Partial<Record<string, Handler>> }[] = [
  { path: /^\/api\/status$/, methods: { GET: async () => jsonReply(200, { ok: true, service: 'mqtt-camera-cloud' }) } },
  { path: /^\/api\/session$/, methods: { POST: (ctx, req) => openSession(ctx, req) } },
  { path: /^\/api\/devices$/, methods: { GET: userGet((ctx) => listDevices(ctx)) } },
  { path: /^\/api\/feed$/, methods: { GET: userGet((ctx, _params, query) => listFeed(ctx, query)) } },
  { path: new RegExp(`^/api/snapshots/${ID}$`), methods: { GET: userGet((ctx, [eventId]) => snapshot(ctx, eventId!)) } },
  { path: /^\/api\/push$/, methods: { GET: (ctx, req, res) => push(ctx, req, res) } },
  { path: /^\/admin\/world$/, methods: { POST: (ctx, req) => replaceWorld(ctx, req) } },
  { path: new RegExp(`^/admin/devices/${ID}/transfer$`), methods: { POST: (ctx, req, _res, [cameraId]) => transferDevice(ctx, req, cameraId!) } },
  { path: new RegExp(`^/admin/devices/${ID}/guests$`), methods: { POST: (ctx, req, _res, [cameraId]) => addGuest(ctx, req, cameraId!) } },
  { path: new RegExp(`^/admin/devices/${ID}/guests/${ID}$`), methods: { DELETE: (ctx, req, _res, [cameraId, userId]) => removeGuest(ctx, req, cameraId!, userId!) } },
];

function errorReply(status: number, reason: string, headers: Record<string, string> = {}): Reply {
  const reply = jsonReply(status, { ok: false, reason });
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

async function route(ctx: MqttCloudContext, req: IncomingMessage, res: ServerResponse): Promise<Reply | undefined> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://cloud.invalid');
  } catch {
    return errorReply(400, 'the request target is not a valid path');
  }
  for (const { path, methods } of routes) {
    const match = path.exec(url.pathname);
    if (!match) continue;
    const handle = methods[req.method ?? ''];
    if (!handle) return errorReply(405, `${req.method} is not allowed here`, { allow: Object.keys(methods).join(', ') });
    return handle(ctx, req, res, match.slice(1), url.searchParams);
  }
  return errorReply(404, `no such path: ${url.pathname}`);
}

/** The request listener of the cloud's HTTP server; never rejects. */
export function handleRequest(ctx: MqttCloudContext, req: IncomingMessage, res: ServerResponse): void {
  route(ctx, req, res)
    .catch((error: unknown): Reply => {
      if (error instanceof HttpError) return errorReply(error.status, error.message, error.headers);
      ctx.log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      return errorReply(500, 'the cloud failed to answer this request');
    })
    .then((reply) => {
      if (reply === undefined) return; // a push stream, written by the gateway
      if (reply.status !== 413 && !req.readableEnded) req.resume();
      send(res, reply);
    })
    .catch((error: unknown) => ctx.log(`could not answer: ${error instanceof Error ? error.message : String(error)}`));
}
