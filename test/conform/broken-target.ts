/**
 * Deliberately broken targets for conform's failing paths, independent of the leak zoo.
 *
 * `startThumbnailCacheLeak` is a reverse proxy in front of a correct target that adds a classic CDN mistake:
 * thumbnails are cached by URL alone, so once anyone fetched one, every logged-in user gets it, the owner's
 * neighbour and a revoked sharee included. Everything else (HTTP and WebSocket upgrades) passes through.
 *
 * `startGarbageTarget` declares no capabilities and answers nonsense: conform must fail (not crash), skip
 * what the target does not declare, and never print the admin token even when the target echoes it.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface RunningProxy {
  url: string;
  stop(): Promise<void>;
}

const THUMBNAIL = /^\/v1\/events\/[^/]+\/thumbnail$/;

export function startThumbnailCacheLeak(upstream: URL): Promise<RunningProxy> {
  return reverseProxy(upstream, { cacheThumbnails: true });
}

/**
 * A correct target that is lenient where docs/protocol.md leaves room: a `limit` outside 1..500 on `GET /v1/events`
 * is clamped into range rather than refused, as many real APIs do. Conform lists that as a warning, not a failure.
 */
export function startLenientPaging(upstream: URL): Promise<RunningProxy> {
  return reverseProxy(upstream, { rewrite: clampLimit });
}

function clampLimit(url: string): string {
  const parsed = new URL(url, 'http://x');
  const limit = parsed.searchParams.get('limit');
  if (parsed.pathname !== '/v1/events' || limit === null || !/^-?\d+$/.test(limit)) return url;
  parsed.searchParams.set('limit', String(Math.min(500, Math.max(1, Number(limit)))));
  return `${parsed.pathname}${parsed.search}`;
}

async function reverseProxy(upstream: URL, options: { cacheThumbnails?: boolean; rewrite?: (url: string) => string }): Promise<RunningProxy> {
  const cache = new Map<string, Buffer>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const cached = options.cacheThumbnails && req.method === 'GET' && req.headers.authorization ? cache.get(path) : undefined;
    if (cached) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(cached);
      return;
    }
    const forwardPath = options.rewrite ? options.rewrite(req.url ?? '/') : req.url;
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: forwardPath, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          if (options.cacheThumbnails && req.method === 'GET' && answer.statusCode === 200 && THUMBNAIL.test(path)) cache.set(path, body);
          res.writeHead(answer.statusCode ?? 502, answer.headers).end(body);
        });
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const backend = connect(Number(upstream.port), upstream.hostname, () => {
      const headers = Object.entries(req.headers).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value ?? '']).map((v) => `${name}: ${v}`),
      );
      backend.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      backend.write(head);
      backend.pipe(client).pipe(backend);
    });
    for (const socket of [client, backend]) {
      sockets.add(socket);
      socket.on('error', () => [client, backend].forEach((s) => s.destroy()));
      socket.on('close', () => {
        sockets.delete(socket);
        [client, backend].forEach((s) => s.destroy());
      });
    }
  });
  return listen(server, () => sockets.forEach((socket) => socket.destroy()));
}

/**
 * `echo`: every call but health answers 200 HTML echoing the Authorization header (the admin token included).
 * `shapes`: seeding works and everything else answers JSON of the wrong shape.
 */
export async function startGarbageTarget(mode: 'echo' | 'shapes'): Promise<RunningProxy> {
  const server = createServer((req, res) => {
    req.resume();
    if (req.url === '/v1/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","capabilities":[]}');
    } else if (mode === 'echo') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<html>you sent ${req.headers.authorization ?? 'nothing'}</html>`);
    } else if (req.method === 'PUT' && req.url === '/v1/admin/world') {
      res.writeHead(204).end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"t","cameras":[{"cameraId":"x"}]}');
    }
  });
  return listen(server, () => undefined);
}

async function listen(server: Server, cutSockets: () => void): Promise<RunningProxy> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      cutSockets();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
