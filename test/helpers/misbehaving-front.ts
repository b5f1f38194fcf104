/**
 * A front for a real reference cloud that misbehaves in one chosen way, for tests of runs that must not pass:
 * - `welcomeOnly: 1` welcomes the first camera that says hello and refuses every other one (close 4401), on every
 *   try, as a target with a broken device registry would;
 * - `failAccessChanges` answers 500 to every ownership change (transfer, share, revoke), while seeding works.
 * Everything else (HTTP, the user stream) passes through untouched to the cloud behind it.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export interface FrontOptions {
  /** Welcome this many cameras (the first to say hello) and refuse the rest. */
  welcomeOnly?: number;
  failAccessChanges?: boolean;
}

export interface RunningFront {
  url: string;
  /** Camera hellos refused so far. */
  refused(): number;
  /** Ownership changes answered 500 so far. */
  failedChanges(): number;
  stop(): Promise<void>;
}

const ACCESS_CHANGE = /^\/v1\/admin\/cameras\/[^/]+\/(owner|shares\/[^/]+)$/;

export async function startMisbehavingFront(upstream: string, options: FrontOptions): Promise<RunningFront> {
  const origin = new URL(upstream);
  const sockets = new Set<Socket>();
  const welcomed = new Set<string>();
  let refused = 0;
  let failedChanges = 0;

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (options.failAccessChanges && ACCESS_CHANGE.test(path) && (req.method === 'PUT' || req.method === 'DELETE')) {
      req.resume();
      failedChanges += 1;
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"code":"internal","message":"ownership store unavailable"}}');
      return;
    }
    const forward = request({ host: origin.hostname, port: origin.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });

  const devices = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  devices.on('connection', (camera: WebSocket) => {
    camera.on('error', () => undefined);
    camera.once('message', (first) => {
      let cameraId: string;
      try {
        cameraId = String((JSON.parse(first.toString()) as { cameraId?: unknown }).cameraId);
      } catch {
        camera.close(1002, 'not a hello');
        return;
      }
      if (!welcomed.has(cameraId) && welcomed.size >= (options.welcomeOnly ?? Infinity)) {
        refused += 1;
        camera.close(4401, 'unknown camera');
        return;
      }
      welcomed.add(cameraId);
      const cloud = new WebSocket(`ws://${origin.host}/v1/device`, { perMessageDeflate: false });
      cloud.on('error', () => camera.terminate());
      cloud.on('open', () => cloud.send(first.toString()));
      cloud.on('message', (data, binary) => camera.readyState === WebSocket.OPEN && camera.send(data, { binary }));
      cloud.on('close', (code) => camera.readyState === WebSocket.OPEN && camera.close(code >= 4000 ? code : 1001));
      camera.on('message', (data, binary) => cloud.readyState === WebSocket.OPEN && cloud.send(data, { binary }));
      camera.on('close', () => cloud.terminate());
    });
  });

  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (new URL(req.url ?? '/', 'http://x').pathname === '/v1/device' && options.welcomeOnly !== undefined) {
      devices.handleUpgrade(req, client, head, (ws) => devices.emit('connection', ws, req));
      return;
    }
    // Anything else (the user stream) is piped byte for byte.
    const backend = connect(Number(origin.port), origin.hostname, () => {
      const headers = Object.entries(req.headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value ?? '']).map((v) => `${name}: ${v}`));
      backend.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      backend.write(head);
      backend.pipe(client).pipe(backend);
    });
    sockets.add(backend);
    for (const socket of [client, backend]) {
      socket.on('error', () => [client, backend].forEach((s) => s.destroy()));
      socket.on('close', () => {
        sockets.delete(socket);
        [client, backend].forEach((s) => s.destroy());
      });
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refused: () => refused,
    failedChanges: () => failedChanges,
    async stop() {
      for (const ws of devices.clients) ws.terminate();
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
