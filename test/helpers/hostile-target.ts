/**
 * A small misbehaving target on a free 127.0.0.1 port: it answers /v1/health as a camera cloud would, records
 * every request it gets, and answers everything else as the test says (echo a token, redirect, spit escape
 * sequences). With no answer given it records and answers 404, so it doubles as "did anything arrive here?".
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HostileAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface HostileTarget {
  url: string;
  port: number;
  seen: SeenRequest[];
  stop(): Promise<void>;
}

const HEALTHY: HostileAnswer = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok","capabilities":[]}' };

export async function startHostileTarget(answer: (request: SeenRequest) => HostileAnswer | undefined = () => undefined): Promise<HostileTarget> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(request);
      const reply = answer(request) ?? (request.method === 'GET' && request.path === '/v1/health' ? HEALTHY : { status: 404, body: '' });
      res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
    });
  });
  // WebSocket upgrades (cameras, live streams) are refused outright.
  server.on('upgrade', (_req, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A protocol error body (docs/protocol.md) with `message` in it. */
export function errorBody(status: number, message: string): HostileAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'hostile', message } }) };
}
