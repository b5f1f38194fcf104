/**
 * A Stampede adapter for my-backend, scaffolded by `bin/stampede init adapter my-backend`.
 *
 * An adapter tells Stampede how to talk to your backend: how an app user logs in, lists events and cameras,
 * fetches a thumbnail and receives pushes, and how a camera connects and sends an event. It maps your API's own
 * shapes into Stampede's; it never judges. Stampede records everything each hook returns and checks it against
 * who owns what, so a hook must return what your backend really answered, unchanged and unfiltered.
 *
 * As scaffolded, this file speaks Stampede's reference protocol (docs/protocol.md in Stampede), so it runs as it is
 * against the embedded cloud: `bin/stampede run --adapter ./my-backend.adapter.ts`. Replace each call with your
 * backend's, one hook at a time; `bin/stampede conform --adapter ./my-backend.adapter.ts` checks the hooks.
 *
 * Rules of thumb:
 * - Use `ctx.endpoints.<name>` for every address: during a run it is Stampede's fault proxy, so outages cut you too.
 * - Pass `ctx.signal` to every request and connect, so nothing outlives the run.
 * - Throw `refused(status)` when the backend says no (401/403/404...), `loggedOut()` when a session expired. Any
 *   other throw is recorded as an error of this adapter, and errors of the adapter make the run an error.
 */
import WebSocket from 'ws';
import { defineAdapter, loggedOut, Refusal, refused, type AdapterContext } from 'stampede/adapter';

/** What `login` returns and every user hook gets back: here a bearer token. */
interface Session {
  token: string;
}

/** One HTTP call to the `api` endpoint; a non-2xx answer is a refusal carrying its status. */
async function call(ctx: AdapterContext, method: string, path: string, token?: string, body?: unknown): Promise<Response> {
  const response = await fetch(new URL(path, ctx.endpoints.api), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
    signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]),
  });
  if (response.status === 401) {
    await response.body?.cancel();
    throw loggedOut();
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    throw refused(response.status);
  }
  return response;
}

/** The admin side, for world hooks: your staging may have none (then delete `world` and pass `--world FILE`). */
async function admin(ctx: AdapterContext, method: string, path: string, body?: unknown): Promise<void> {
  const token = ctx.options.adminToken;
  if (!token) throw new Error('set the admin token: --adapter-option adminToken=... or STAMPEDE_ADMIN_TOKEN');
  (await call(ctx, method, path, token, body)).body?.cancel();
}

/** A WebSocket URL on the `api` endpoint. */
function socketUrl(ctx: AdapterContext, path: string): string {
  const url = new URL(path, ctx.endpoints.api);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export default defineAdapter<Session>({
  name: 'my-backend',
  // The addresses this adapter talks to, by name: `--target api=http://127.0.0.1:8080` (a bare --target URL fills
  // the first). Add one per host your devices and apps use, e.g. ['api', 'broker'] for an MQTT broker.
  endpoints: ['api'],

  users: {
    async login(ctx, user) {
      const answer = (await (await call(ctx, 'POST', '/v1/login', undefined, { email: user.login, password: user.secret })).json()) as { token: string };
      return { token: answer.token };
    },

    async events(ctx, session, page) {
      const since = page.cursor === undefined ? '' : `&since=${encodeURIComponent(page.cursor)}`;
      const answer = (await (await call(ctx, 'GET', `/v1/events?limit=${page.limit}${since}`, session.token)).json()) as {
        events: { eventId: string; cameraId: string; kind: string; ts: number }[];
        next: string;
      };
      // Map your API's items to Stampede's; keep every item the backend returned, even ones that look wrong.
      return { events: answer.events.map(({ eventId, cameraId, kind, ts }) => ({ eventId, cameraId, kind, ts })), next: answer.next };
    },

    async cameras(ctx, session) {
      const answer = (await (await call(ctx, 'GET', '/v1/cameras', session.token)).json()) as { cameras: { cameraId: string; role: 'owner' | 'shared' }[] };
      return answer.cameras.map(({ cameraId, role }) => ({ cameraId, role }));
    },

    async thumbnail(ctx, session, item) {
      try {
        const response = await call(ctx, 'GET', `/v1/events/${encodeURIComponent(item.eventId)}/thumbnail`, session.token);
        return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
      } catch (error) {
        // A refusal of a thumbnail is an answer to record (the oracle checks who was refused), not an error.
        if (error instanceof Refusal) return { status: error.status };
        throw error;
      }
    },

    // Pushes: open your push channel and hand every pushed item to `sink.item`; call `sink.closed` when it ends.
    async push(ctx, session, sink) {
      const socket = new WebSocket(`${socketUrl(ctx, '/v1/stream')}?token=${encodeURIComponent(session.token)}`, { handshakeTimeout: ctx.timeoutMs });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
        socket.once('unexpected-response', (_, response) => reject(response.statusCode === 401 ? loggedOut() : refused(response.statusCode ?? 0)));
      });
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { type: string; event: { eventId: string; cameraId: string; kind: string; ts: number } };
        if (message.type === 'event') sink.item(message.event);
      });
      socket.on('error', () => undefined); // the close that follows is what counts
      socket.on('close', (code) => sink.closed(`closed with ${code}`, { loggedOut: code === 4401 }));
      return { close: () => socket.close(1001, 'user leaving') };
    },
  },

  devices: {
    // Connect with the camera's own credentials; resolve once the backend accepted it.
    async connect(ctx, camera, link) {
      const socket = new WebSocket(socketUrl(ctx, '/v1/device'), { handshakeTimeout: ctx.timeoutMs });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', cameraId: camera.id, secret: camera.secret })));
        socket.once('message', (data) => {
          const message = JSON.parse(data.toString()) as { type: string };
          if (message.type === 'welcome') resolve();
          else reject(new Error(`expected a welcome, got ${data.toString().slice(0, 80)}`));
        });
        socket.once('close', (code) => reject(code === 4401 ? refused(401, 'device credentials refused') : new Error(`closed with ${code} before the welcome`)));
        socket.once('error', reject);
      });
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { type: string; eventId?: string };
        if (message.type === 'ack' && message.eventId) link.acked(message.eventId);
      });
      socket.on('error', () => undefined);
      socket.on('close', (code) => link.dropped(`closed with ${code}`, code));
      return {
        // Send the thumbnail bytes unchanged: Stampede reads its provenance back out of what users are served.
        send: (event) =>
          socket.send(JSON.stringify({ type: 'event', eventId: event.eventId, kind: event.kind, ts: event.ts, thumbnail: Buffer.from(event.thumbnail).toString('base64') })),
        close: () => socket.close(1001, 'camera leaving'),
      };
    },
  },

  // World control. Delete what your backend cannot do: without `seed` the run needs `--world FILE` listing accounts
  // that already exist; without transfer/share/revoke it schedules no ownership changes, and says so.
  world: {
    async health(ctx) {
      await (await call(ctx, 'GET', '/v1/health')).body?.cancel();
    },
    async seed(ctx, world) {
      await admin(ctx, 'PUT', '/v1/admin/world', {
        users: world.users.map((user) => ({ userId: user.id, email: user.login, password: user.secret })),
        cameras: world.cameras.map((camera) => ({ cameraId: camera.id, secret: camera.secret, ownerId: camera.owner })),
        shares: world.cameras.flatMap((camera) => camera.shares.map((userId) => ({ cameraId: camera.id, userId }))),
      });
    },
    transfer: (ctx, cameraId, toUserId) => admin(ctx, 'PUT', `/v1/admin/cameras/${encodeURIComponent(cameraId)}/owner`, { ownerId: toUserId }),
    share: (ctx, cameraId, userId) => admin(ctx, 'PUT', `/v1/admin/cameras/${encodeURIComponent(cameraId)}/shares/${encodeURIComponent(userId)}`),
    revoke: (ctx, cameraId, userId) => admin(ctx, 'DELETE', `/v1/admin/cameras/${encodeURIComponent(cameraId)}/shares/${encodeURIComponent(userId)}`),
  },
});
