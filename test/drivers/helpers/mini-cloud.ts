/**
 * A minimal server speaking the reference protocol, the drivers' own test boundary: devices (hello, welcome, ack,
 * 4401, 4409), login, cameras, events with cursors, thumbnails, the push stream. Owners only, no shares. It can
 * drop every socket, refuse devices and answer garbage, so tests can break it on purpose.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { World } from '../../../src/world/types.ts';

interface StoredEvent {
  eventId: string;
  cameraId: string;
  kind: string;
  ts: number;
  thumbnail: Buffer;
}

export interface MiniCloud {
  url: string;
  /** Events stored, in acceptance order. */
  events: StoredEvent[];
  /** How many times each event id was received (a resend counts). */
  received: Map<string, number>;
  /** Server-side kill of every device and stream socket and keep-alive connection. */
  dropAll(): void;
  /** When true, every HTTP answer and device reply is garbage. */
  garbage: boolean;
  /** When true, every JSON answer and stream push is well-formed JSON of the wrong shape. */
  wrongShape: boolean;
  /** When true, device hellos are not answered (a hung target). */
  silent: boolean;
  /** When true, events are stored but not acknowledged, so cameras hold them for a resend. */
  holdAcks: boolean;
  deviceSockets(): number;
  /** TCP connections open on the server side: keep-alive HTTP and upgraded sockets alike. */
  openConnections(): number;
  /** Forgets every user token, as a restarted session store would: users get 401 and must log in again. */
  forgetTokens(): void;
  close(): Promise<void>;
}

export async function startMiniCloud(world: World): Promise<MiniCloud> {
  const owner = new Map(world.cameras.map((camera) => [camera.cameraId, camera]));
  const byEmail = new Map(world.users.map((user) => [user.email, user]));
  const tokens = new Map<string, string>();
  let issued = 0;
  const live = new Map<string, WebSocket>();
  const streams = new Map<WebSocket, string>();
  const connections = new Set<Socket>();
  const state: MiniCloud = {
    url: '',
    events: [],
    received: new Map(),
    garbage: false,
    silent: false,
    wrongShape: false,
    holdAcks: false,
    dropAll: () => {
      for (const client of devices.clients) client.terminate();
      for (const client of streamServer.clients) client.terminate();
      for (const connection of connections) connection.destroy();
    },
    deviceSockets: () => devices.clients.size,
    openConnections: () => connections.size,
    forgetTokens: () => tokens.clear(),
    close: async () => {
      state.dropAll();
      devices.close();
      streamServer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const visible = (userId: string, event: StoredEvent) => owner.get(event.cameraId)?.ownerId === userId;
  const wire = (event: StoredEvent) => ({
    eventId: event.eventId, cameraId: event.cameraId, kind: event.kind, ts: event.ts,
    thumbnail: `/v1/events/${event.eventId}/thumbnail`,
  });

  const devices = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  devices.on('connection', (socket) => {
    let cameraId: string | undefined;
    socket.on('message', (data) => {
      if (state.garbage) return socket.send('<<not json>>');
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(data.toString()) as Record<string, unknown>;
      } catch {
        return socket.close(1007, 'not JSON');
      }
      if (message.type === 'hello') {
        if (state.silent) return;
        const camera = owner.get(String(message.cameraId));
        if (!camera || camera.secret !== message.secret) return socket.close(4401, 'bad credentials');
        cameraId = camera.cameraId;
        live.get(cameraId)?.close(4409, 'replaced');
        live.set(cameraId, socket);
        socket.send(JSON.stringify({ type: 'welcome', cameraId }));
      } else if (message.type === 'event' && cameraId) {
        const eventId = String(message.eventId);
        const seen = state.received.get(eventId) ?? 0;
        state.received.set(eventId, seen + 1);
        if (seen === 0) {
          const event = {
            eventId, cameraId, kind: String(message.kind), ts: Number(message.ts),
            thumbnail: Buffer.from(String(message.thumbnail), 'base64'),
          };
          state.events.push(event);
          for (const [stream, userId] of streams) {
            if (!visible(userId, event)) continue;
            stream.send(JSON.stringify(state.wrongShape ? { type: 'event', event: { eventId: 42 } } : { type: 'event', event: wire(event) }));
          }
        }
        if (!state.holdAcks) socket.send(JSON.stringify({ type: 'ack', eventId }));
      }
    });
    socket.on('close', () => {
      if (cameraId && live.get(cameraId) === socket) live.delete(cameraId);
    });
  });
  const streamServer = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  const server = createServer((request, response) => handle(request, response));
  server.on('connection', (connection) => {
    connections.add(connection);
    connection.on('close', () => connections.delete(connection));
  });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/v1/device') devices.handleUpgrade(request, socket, head, (ws) => devices.emit('connection', ws));
    else if (url.pathname === '/v1/stream') {
      streamServer.handleUpgrade(request, socket, head, (ws) => {
        const userId = tokens.get(url.searchParams.get('token') ?? '');
        if (!userId) return ws.close(4401, 'unauthorized');
        streams.set(ws, userId);
        ws.on('close', () => streams.delete(ws));
      });
    } else socket.destroy();
  });

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const json = (status: number, body: unknown) => {
        const answer = state.wrongShape && status === 200 ? { unexpected: true } : body;
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      };
      if (state.garbage) return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops');
      const url = new URL(request.url ?? '/', 'http://x');
      if (request.method === 'POST' && url.pathname === '/v1/login') {
        const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { email?: string; password?: string };
        const user = byEmail.get(body.email ?? '');
        if (!user || user.password !== body.password) return json(401, { error: { code: 'unauthorized', message: 'no' } });
        const token = `t-${user.userId}-${++issued}`;
        tokens.set(token, user.userId);
        return json(200, { token, userId: user.userId });
      }
      const userId = tokens.get((request.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (!userId) return json(401, { error: { code: 'unauthorized', message: 'log in' } });
      if (url.pathname === '/v1/cameras') {
        const cameras = world.cameras
          .filter((camera) => camera.ownerId === userId)
          .map((camera) => ({ cameraId: camera.cameraId, role: 'owner', online: live.has(camera.cameraId) }));
        return json(200, { cameras });
      }
      if (url.pathname === '/v1/events') {
        const since = Number(url.searchParams.get('since') ?? '0');
        const limit = Number(url.searchParams.get('limit') ?? '100');
        const page: StoredEvent[] = [];
        let index = since;
        for (; index < state.events.length && page.length < limit; index++) {
          if (visible(userId, state.events[index]!)) page.push(state.events[index]!);
        }
        return json(200, { events: page.map(wire), next: String(index) });
      }
      const thumbnail = /^\/v1\/events\/([^/]+)\/thumbnail$/.exec(url.pathname);
      if (thumbnail) {
        const event = state.events.find((candidate) => candidate.eventId === thumbnail[1]);
        if (!event || !visible(userId, event)) return json(404, { error: { code: 'not_found', message: 'no' } });
        return void response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(event.thumbnail);
      }
      json(404, { error: { code: 'not_found', message: 'no route' } });
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
