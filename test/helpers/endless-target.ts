/**
 * A hostile target whose answers never end: 200 and a body that keeps coming (JSON whitespace after a valid
 * start) for as long as the client reads, up to `ceiling` bytes, then the connection is held open without
 * ending the body. A harness that reads bodies whole stays stuck on it (and pays the memory); one that bounds
 * what it reads stops after a few KiB. The ceiling only keeps a test of an unbounded harness from eating the machine.
 *
 * `health`: only `/v1/health` is endless (the rest answers 404).
 * `user-api`: health is honest and the admin calls answer 204, so seeding works; every user call is endless.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface EndlessTarget {
  url: string;
  /** Bytes of endless bodies written so far. */
  written(): number;
  stop(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, ' ');

export async function startEndlessTarget(mode: 'health' | 'user-api', ceiling = 32 * 1024 * 1024): Promise<EndlessTarget> {
  const sockets = new Set<Socket>();
  let written = 0;
  const endless = (res: ServerResponse, start: string): void => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(start);
    let sent = 0;
    const pump = (): void => {
      while (sent < ceiling && !res.destroyed) {
        sent += CHUNK.length;
        written += CHUNK.length;
        if (!res.write(CHUNK)) return void res.once('drain', pump);
      }
    };
    pump();
  };
  const server = createServer((req, res) => {
    req.resume();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/v1/health') {
      if (mode === 'health') return endless(res, '{"status":"ok","capabilities":[');
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","capabilities":["stream","thumbnails","shares","transfer"]}');
    }
    if (mode === 'user-api' && path.startsWith('/v1/admin/')) return void res.writeHead(204).end();
    if (mode === 'user-api') return endless(res, '{"token":"');
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"no such call"}}');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    written: () => written,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
