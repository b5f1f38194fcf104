/** A real toxiproxy-server per test file, and a TCP echo server behind it: the upstream faults act on. */
import { createServer, type Server, type Socket } from 'node:net';
import { ToxiproxyClient } from '../../../src/chaos/toxiproxy.ts';
import { freePort } from '../../../src/services/ports.ts';
import { startToxiproxy, type ToxiproxyServer } from '../../../src/services/toxiproxy-server.ts';

export interface ToxiproxyFixture {
  server: ToxiproxyServer;
  client: ToxiproxyClient;
  stop(): Promise<void>;
}

export async function startToxiproxyFixture(): Promise<ToxiproxyFixture> {
  const server = await startToxiproxy();
  return { server, client: new ToxiproxyClient(server.url, 5_000), stop: () => server.stop() };
}

/** A loopback TCP server that echoes what it reads, or, with `closeAtOnce`, ends each connection as soon as it opens. */
export interface EchoServer {
  port: number;
  upstream: string;
  close(): Promise<void>;
}

export async function startEchoServer(options: { closeAtOnce?: boolean } = {}): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // resets are what some tests cause
    if (options.closeAtOnce) socket.end();
    else socket.pipe(socket);
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, resolve);
  });
  return {
    port,
    upstream: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
