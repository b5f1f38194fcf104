/**
 * The reference camera cloud: a complete implementation of docs/protocol.md, the default target of a
 * Stampede run. An in-memory system of record holds the truth; Redis caches sessions, camera access records and
 * event pages in front of it, the way real camera clouds do, so chaos on the cache path has something to hit.
 * `bug` swaps in one of the leak zoo's models of a real incident (bugs/index.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { backlogPerPort, listen } from './listen.ts';
import { MAX_THUMBNAIL_BYTES } from '../../src/protocol/schema.ts';
import { UsageError } from '../../src/errors.ts';
import { resolveBug } from './bugs/index.ts';
import type { CacheStats } from './cache/views.ts';
import type { CloudContext } from './context.ts';
import { handleRequest } from './http/router.ts';
import { buildParts } from './parts.ts';
import { SystemOfRecord, digest } from './store.ts';
import { acceptDevice } from './ws/device.ts';
import { startKeepalive } from './ws/keepalive.ts';
import { acceptStream } from './ws/stream.ts';

export interface CloudOptions {
  /** 0 or absent: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Guards the admin calls. Never printed or logged. */
  adminToken: string;
  /** A leak-zoo bug name; default `none`, the correct cloud. */
  bug?: string;
  /** Redis for the cache (e.g. redis://127.0.0.1:6379, or a Toxiproxy proxy in front of it); absent: no cache. */
  redisUrl?: string;
  /** Diagnostics, one line each; default silent. */
  log?: (line: string) => void;
  /** How long a cache command may take before the cloud answers from the system of record. Default 250. */
  cacheTimeoutMs?: number;
  /** Interval of the WebSocket ping sweep. Default 30 s. */
  keepaliveMs?: number;
  /**
   * More ports serving the same cloud on `host`. Node (libuv 1.45 and later) accepts one connection per listening
   * socket per turn of the event loop, so a busy cloud with one port takes a few hundred connections a second
   * however idle its CPU: a storm of thousands reconnecting fills its accept queue and measures that, not the
   * fleet. A run gives each client proxy shard a port of its own, as a real backend sits behind many listeners.
   */
  extraPorts?: readonly number[];
}

/** A running cloud. */
export interface RunningCloud {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  port: number;
  /** Every Redis key of this instance starts with it. */
  keyPrefix: string;
  cacheStats(): CacheStats;
  /** Closes every socket, quits Redis and stops listening. Safe to call twice. */
  stop(): Promise<void>;
}

/** A device event frame is a base64 thumbnail (4/3 of its bytes) plus a little JSON. */
const MAX_DEVICE_FRAME = Math.ceil(MAX_THUMBNAIL_BYTES / 3) * 4 + 4_096;
const MAX_STREAM_FRAME = 4_096;
/** How long closing sockets get to say goodbye at stop before they are cut. */
const CLOSE_GRACE_MS = 500;

export async function startCloud(options: CloudOptions): Promise<RunningCloud> {
  if (options.adminToken.length === 0) throw new UsageError('the admin token is empty', 'pass a non-empty admin token');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`port ${port} is not a port number`, 'use 0..65535');
  const host = options.host ?? '127.0.0.1';
  const bug = resolveBug(options.bug ?? 'none');
  const log = options.log ?? (() => undefined);
  const store = new SystemOfRecord();
  const keyPrefix = `stampede:cloud:${randomBytes(6).toString('hex')}:`;
  const { parts, views } = buildParts({ store, redisUrl: options.redisUrl, keyPrefix, log }, bug, options.cacheTimeoutMs ?? 250);

  const wsOptions = { noServer: true, perMessageDeflate: false } as const;
  const deviceServer = new WebSocketServer({ ...wsOptions, maxPayload: MAX_DEVICE_FRAME });
  const streamServer = new WebSocketServer({ ...wsOptions, maxPayload: MAX_STREAM_FRAME });
  const keepalive = startKeepalive([deviceServer, streamServer], options.keepaliveMs ?? 30_000);

  const ctx: CloudContext = {
    store,
    views,
    parts,
    devices: new Map(),
    adminTokenDigest: digest(options.adminToken),
    log,
    dropSessions() {
      for (const socket of [...deviceServer.clients, ...streamServer.clients]) socket.close(1012, 'the world was replaced');
      ctx.devices.clear();
    },
  };

  await parts.cache.start();
  const server = createServer((req, res) => handleRequest(ctx, req, res));
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  // Made once, not per upgrade: `ws` hands each accepted socket and its request to them.
  const deviceAccepted = (ws: WebSocket): void => {
    keepalive.track(ws);
    acceptDevice(ctx, ws);
  };
  const streamAccepted = (ws: WebSocket, req: IncomingMessage): void => {
    keepalive.track(ws);
    acceptStream(ctx, ws, req);
  };
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', ignoreError);
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (path === '/v1/device') deviceServer.handleUpgrade(req, socket, head, deviceAccepted);
    else if (path === '/v1/stream') streamServer.handleUpgrade(req, socket, head, streamAccepted);
    else socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  const extra = (options.extraPorts ?? []).map(() => createNetServer((socket) => server.emit('connection', socket)));
  try {
    const backlog = backlogPerPort(1 + extra.length);
    await listen(server, port, host, backlog);
    for (const [i, listener] of extra.entries()) await listen(listener, options.extraPorts![i]!, host, backlog);
  } catch (error) {
    keepalive.stop();
    for (const listener of [server, ...extra]) if (listener.listening) listener.close();
    await parts.cache.close();
    throw error;
  }
  const bound = (server.address() as AddressInfo).port;
  log(`cloud listening on ${host}:${bound}${bug.name === 'none' ? '' : ` with bug ${bug.name}`}`);

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    keepalive.stop();
    const sockets = [...deviceServer.clients, ...streamServer.clients];
    for (const socket of sockets) socket.close(1001, 'the cloud is stopping');
    for (const listener of extra) listener.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await new Promise((resolve) => setTimeout(resolve, sockets.length > 0 ? CLOSE_GRACE_MS : 0));
    for (const socket of sockets) socket.terminate();
    deviceServer.close();
    streamServer.close();
    await closed;
    await parts.cache.close();
  };
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    keyPrefix,
    cacheStats: () => ({ ...views.stats }),
    stop: () => (stopping ??= stop()),
  };
}

function ignoreError(): void {}
