/**
 * A worked example: the adapter for Stampede's MQTT camera cloud (`bin/stampede run --cloud mqtt`), a backend that
 * speaks nothing of Stampede's own protocol. Read it top to bottom as a template for your own backend's adapter.
 *
 * What the backend looks like (simulators/mqtt-cloud/):
 *   app API  (endpoint `api`, http://)
 *     POST /api/session  {username, passphrase}     -> 200 {account:{id}} + a `camsid` session cookie; 401 if wrong
 *     GET  /api/feed?offset=N&count=M (M <= 250)    -> {items:[{id, device, type, at (ISO), snapshot}], next_offset}
 *     GET  /api/devices                             -> {devices:[{device_id, access: 'owner' | 'guest'}]}
 *     GET  /api/snapshots/:eventId                  -> the JPEG bytes, or 404 when not yours (or 401 logged out)
 *     GET  /api/push                                -> Server-Sent Events: `ready`, then one `clip` per new event
 *     admin, with header X-Admin-Key: POST /admin/world, POST /admin/devices/:id/transfer {to},
 *       POST /admin/devices/:id/guests {account}, DELETE /admin/devices/:id/guests/:account
 *   devices  (endpoint `broker`, mqtt://): MQTT 5, user name = device id, password = device secret;
 *     on connecting, publish `online` to cameras/<id>/status, with `offline` there as the connection's will;
 *     publish the thumbnail bytes to cameras/<id>/events with user properties id, kind, ts;
 *     the cloud answers on cameras/<id>/acks with {event, status: 'stored' | 'rejected'}.
 *
 * Rules every adapter follows:
 * - Map, never judge. Return what the backend said, in Stampede's terms; Stampede's oracle decides what is a leak.
 * - A refusal by the backend is `throw refused(status)` (or `loggedOut()` for a 401): it is an answer, recorded as
 *   one. A network failure is simply thrown as it came (fetch's TypeError, mqtt's connection error).
 * - Use `ctx.endpoints` for every URL (during a run they are Toxiproxy proxies, so faults reach you), pass
 *   `ctx.signal` to everything, and give up after `ctx.timeoutMs`.
 * - Never log secrets: Stampede redacts what it records, but your own console.log is yours.
 */
import { connect } from 'mqtt';
import { defineAdapter, loggedOut, refused, type AdapterContext, type HttpAnswer, type ShownItem } from 'stampede/adapter';

/** What `login` returns and every user hook gets back: here, just the session cookie to send. */
interface Session {
  cookie: string;
}

/** The backend's largest page; Stampede may ask for more, so the adapter asks for at most this many. */
const MAX_COUNT = 250;

/** A signal that aborts when the run stops or this one call has taken too long. */
function callSignal(ctx: AdapterContext): AbortSignal {
  return AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]);
}

/** One app API request with the session cookie; a 401 means the session is gone, so Stampede logs in again. */
async function api(ctx: AdapterContext, session: Session | undefined, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (session) headers.set('cookie', session.cookie);
  const response = await fetch(new URL(path, ctx.endpoints.api), { ...init, headers, signal: init.signal ?? callSignal(ctx), redirect: 'manual' });
  if (response.status === 401) {
    await response.body?.cancel();
    throw loggedOut();
  }
  return response;
}

/** The JSON of a 200 answer; anything else is the backend refusing. */
async function json<T>(response: Response): Promise<T> {
  if (response.status !== 200) {
    await response.body?.cancel();
    throw refused(response.status);
  }
  return (await response.json()) as T;
}

/** The JSON of a plain-HTTP answer (`users.http`), read as `api` and `json` read a fetch's. */
function answerJson<T>(answer: HttpAnswer): T {
  if (answer.status === 401) throw loggedOut();
  if (answer.status !== 200) throw refused(answer.status);
  return JSON.parse(new TextDecoder().decode(answer.body)) as T;
}

/** The backend's event, in Stampede's terms: its names (`id`, `device`, `type`, `at`) mapped to Stampede's. */
interface FeedItem {
  id: string;
  device: string;
  type: string;
  at: string;
}
function shown(item: FeedItem): ShownItem {
  return { eventId: item.id, cameraId: item.device, kind: item.type, ts: Date.parse(item.at) };
}

/** An admin call: the key comes from `--adapter-option adminToken=...` (an embedded cloud fills it in). */
async function admin(ctx: AdapterContext, method: string, path: string, body?: unknown): Promise<void> {
  const key = ctx.options.adminToken;
  if (!key) throw new Error('the mqtt adapter needs the admin key: pass --adapter-option adminToken=...');
  const response = await fetch(new URL(path, ctx.endpoints.api), {
    method,
    headers: { 'x-admin-key': key, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: callSignal(ctx),
  });
  await response.body?.cancel();
  if (response.status !== 204) throw refused(response.status, `${method} ${path} answered ${response.status}`);
}

/**
 * Reads a Server-Sent Events stream and hands each complete event to `onEvent`. SSE is lines of `field: value`,
 * one event per blank-line-separated block; only `event` and `data` matter here.
 */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (type: string, data: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = '';
  let type = 'message';
  let data: string[] = [];
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).replace(/\r$/, '');
      buffered = buffered.slice(newline + 1);
      if (line === '') {
        if (data.length > 0) onEvent(type, data.join('\n'));
        type = 'message';
        data = [];
      } else if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      // `id:`, `retry:` and `: comments` (keepalive pings) are ignored.
    }
  }
}

export default defineAdapter<Session>({
  name: 'mqtt-cloud',
  // The names Stampede fills from `--target api=URL --target broker=URL` or from the embedded cloud, and puts a
  // Toxiproxy proxy in front of each.
  endpoints: ['api', 'broker'],

  users: {
    async login(ctx, user) {
      const response = await fetch(new URL('/api/session', ctx.endpoints.api), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.login, passphrase: user.secret }),
        signal: callSignal(ctx),
      });
      await response.body?.cancel();
      if (response.status === 401) throw loggedOut('wrong username or passphrase');
      if (response.status !== 200) throw refused(response.status);
      // Keep only `name=value` of the cookie; its attributes (Path, HttpOnly) are for browsers.
      const cookie = response.headers.getSetCookie().find((value) => value.startsWith('camsid='))?.split(';')[0];
      if (!cookie) throw new Error('the login answer set no camsid cookie');
      return { cookie };
    },

    async events(ctx, session, page) {
      // Stampede's cursor is opaque to it: here it is the backend's offset, kept as a string.
      const offset = page.cursor ?? '0';
      const count = Math.min(page.limit, MAX_COUNT);
      const body = await json<{ items: FeedItem[]; next_offset: number }>(await api(ctx, session, `/api/feed?offset=${encodeURIComponent(offset)}&count=${count}`));
      // The feed only grows, so the next offset is always where new events will appear: never "the end".
      return { events: body.items.map(shown), next: String(body.next_offset) };
    },

    async cameras(ctx, session) {
      const body = await json<{ devices: { device_id: string; access: string }[] }>(await api(ctx, session, '/api/devices'));
      // The backend says 'guest' where Stampede says 'shared'.
      return body.devices.map((device) => ({ cameraId: device.device_id, role: device.access === 'owner' ? 'owner' : 'shared' }));
    },

    async thumbnail(ctx, session, item) {
      const response = await api(ctx, session, `/api/snapshots/${encodeURIComponent(item.eventId)}`);
      if (response.status !== 200) {
        await response.body?.cancel();
        return { status: response.status };
      }
      return { status: 200, bytes: new Uint8Array(await response.arrayBuffer()) };
    },
    // No `probe`: asking for someone else's snapshot by id is exactly `thumbnail`, which is the default.

    // The same three reads as plain HTTP, which is what lets `bin/stampede run refresh-storm` drive them with
    // autocannon (one connection per user): `request` says what to send, `parse` reads what came back. Optional;
    // without it the refresh storm says it needs them.
    http: {
      events: {
        request: (session, page) => ({
          method: 'GET',
          endpoint: 'api',
          path: `/api/feed?offset=${encodeURIComponent(page.cursor ?? '0')}&count=${Math.min(page.limit, MAX_COUNT)}`,
          headers: { cookie: session.cookie },
        }),
        parse(answer) {
          const body = answerJson<{ items: FeedItem[]; next_offset: number }>(answer);
          return { events: body.items.map(shown), next: String(body.next_offset) };
        },
      },
      cameras: {
        request: (session) => ({ method: 'GET', endpoint: 'api', path: '/api/devices', headers: { cookie: session.cookie } }),
        parse(answer) {
          const body = answerJson<{ devices: { device_id: string; access: string }[] }>(answer);
          return body.devices.map((device) => ({ cameraId: device.device_id, role: device.access === 'owner' ? 'owner' : 'shared' }));
        },
      },
      thumbnail: {
        request: (session, item) => ({ method: 'GET', endpoint: 'api', path: `/api/snapshots/${encodeURIComponent(item.eventId)}`, headers: { cookie: session.cookie } }),
        parse(answer) {
          if (answer.status === 401) throw loggedOut();
          return answer.status === 200 ? { status: 200, bytes: answer.body } : { status: answer.status };
        },
      },
    },

    async push(ctx, session, sink) {
      // The stream lives until closed, so it gets the run's signal and its own abort, not the per-call timeout;
      // only the wait for the answer's headers is bounded by `ctx.timeoutMs`.
      const stop = new AbortController();
      const signal = AbortSignal.any([ctx.signal, stop.signal]);
      const timer = setTimeout(() => stop.abort(new Error('the push stream did not open in time')), ctx.timeoutMs);
      let response: Response;
      try {
        response = await api(ctx, session, '/api/push', { signal, headers: { accept: 'text/event-stream' } });
      } finally {
        clearTimeout(timer);
      }
      if (response.status !== 200 || !response.body) {
        await response.body?.cancel();
        throw refused(response.status);
      }
      // The cloud sends the headers only once the stream is live, so from here on no event is missed.
      void readEvents(response.body, (type, data) => {
        if (type !== 'clip') return;
        sink.item(shown(JSON.parse(data) as FeedItem));
      }).then(
        () => stop.signal.aborted || sink.closed('the cloud ended the stream'),
        (error: unknown) => stop.signal.aborted || sink.closed(error instanceof Error ? error.message : String(error)),
      );
      return { close: () => stop.abort() };
    },
  },

  devices: {
    connect(ctx, camera, link) {
      return new Promise((resolve, reject) => {
        const status = `cameras/${camera.id}/status`;
        const client = connect(ctx.endpoints.broker!, {
          username: camera.id,
          password: camera.secret,
          // One client id per camera: a newer connection of the same camera replaces the older one.
          clientId: camera.id,
          protocolVersion: 5,
          clean: true,
          // Stampede's camera has its own reconnect policy: mqtt.js must not reconnect behind its back.
          reconnectPeriod: 0,
          connectTimeout: ctx.timeoutMs,
          keepalive: 30,
          // The broker says `offline` for the camera when its connection dies without a goodbye (an outage).
          will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: false },
        });
        let open = false;
        let closing = false;
        const acks = `cameras/${camera.id}/acks`;
        const fail = (error: Error & { code?: number }) => {
          client.end(true);
          // MQTT 5's 0x86 (bad user name or password) and 0x87 (not authorized) are the broker refusing the camera.
          reject(error.code === 0x86 || error.code === 0x87 || error.code === 4 || error.code === 5 ? refused(401, error.message) : error);
        };
        const onAbort = () => client.end(true);
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        client.once('error', fail);
        client.once('connect', () => {
          // The birth message: the cloud shows the camera online (and gets ready for what it sends next).
          client.publish(status, 'online', { qos: 1 });
          client.subscribeAsync(acks, { qos: 1 }).then(() => {
            open = true;
            client.off('error', fail);
            client.on('error', () => undefined); // the `close` that follows reports it
            resolve({
              send(event) {
                // Hand the bytes to mqtt.js and return; the ack arrives on the acks topic.
                client.publish(`cameras/${camera.id}/events`, Buffer.from(event.thumbnail), {
                  qos: 1,
                  properties: { contentType: 'image/jpeg', userProperties: { id: event.eventId, kind: event.kind, ts: String(event.ts) } },
                });
              },
              async close() {
                closing = true;
                ctx.signal.removeEventListener('abort', onAbort);
                await client.endAsync(true);
              },
            });
          }, fail);
        });
        client.on('message', (topic, payload) => {
          if (topic !== acks) return;
          const ack = JSON.parse(payload.toString('utf8')) as { event?: string; status?: string };
          if (ack.status === 'stored' && typeof ack.event === 'string') link.acked(ack.event);
        });
        // A closed connection is `dropped`: Stampede's reconnect policy takes it from there.
        client.once('close', () => {
          ctx.signal.removeEventListener('abort', onAbort);
          if (open && !closing) link.dropped('the broker connection closed');
        });
      });
    },
  },

  world: {
    async health(ctx) {
      const response = await fetch(new URL('/api/status', ctx.endpoints.api), { signal: callSignal(ctx) });
      await response.body?.cancel();
      if (response.status !== 200) throw new Error(`GET /api/status answered ${response.status}`);
    },
    async seed(ctx, world) {
      await admin(ctx, 'POST', '/admin/world', {
        accounts: world.users.map((user) => ({ id: user.id, username: user.login, passphrase: user.secret })),
        devices: world.cameras.map((camera) => ({ id: camera.id, secret: camera.secret, owner: camera.owner, guests: camera.shares })),
      });
    },
    transfer: (ctx, cameraId, toUserId) => admin(ctx, 'POST', `/admin/devices/${encodeURIComponent(cameraId)}/transfer`, { to: toUserId }),
    share: (ctx, cameraId, userId) => admin(ctx, 'POST', `/admin/devices/${encodeURIComponent(cameraId)}/guests`, { account: userId }),
    revoke: (ctx, cameraId, userId) => admin(ctx, 'DELETE', `/admin/devices/${encodeURIComponent(cameraId)}/guests/${encodeURIComponent(userId)}`),
  },
});
