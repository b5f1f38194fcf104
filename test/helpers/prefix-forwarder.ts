/**
 * A backend mounted under a path prefix, as behind a gateway: HTTP requests and WebSocket upgrades for
 * `<prefix>/...` go to the upstream with the prefix stripped; anything else is 404, so a client that drops the
 * prefix reaches nothing.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface PrefixForwarder {
  /** The mounted base URL, e.g. `http://127.0.0.1:34567/api`. */
  url: string;
  /** Requests that came without the prefix. */
  misses(): number;
  stop(): Promise<void>;
}

export async function startPrefixForwarder(upstream: URL, prefix = '/api'): Promise<PrefixForwarder> {
  const sockets = new Set<Socket>();
  let misses = 0;
  const strip = (url: string | undefined): string | undefined => {
    const path = url ?? '/';
    if (path !== prefix && !path.startsWith(`${prefix}/`) && !path.startsWith(`${prefix}?`)) return undefined;
    const rest = path.slice(prefix.length);
    return rest.startsWith('/') ? rest : `/${rest}`;
  };
  const server = createServer((req, res) => {
    const path = strip(req.url);
    if (path === undefined) {
      misses++;
      req.resume();
      return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"not under the prefix"}}');
    }
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.pipe(forward);
  });
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const path = strip(req.url);
    if (path === undefined) {
      misses++;
      return void client.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    }
    const backend = connect(Number(upstream.port), upstream.hostname, () => {
      const headers = Object.entries(req.headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value ?? '']).map((v) => `${name}: ${v}`));
      backend.write(`${req.method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      backend.write(head);
      backend.pipe(client).pipe(backend);
    });
    sockets.add(backend);
    backend.on('error', () => client.destroy());
    backend.on('close', () => {
      sockets.delete(backend);
      client.destroy();
    });
    client.on('close', () => backend.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    misses: () => misses,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
