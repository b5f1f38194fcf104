/**
 * The yardstick for the storm's hello rate: how many hellos per second a bare `ws` client gets answered by a
 * minimal `ws` server that only says welcome, on this machine, now. The server runs in a child process, as the
 * cloud does in the storm; every client connects at once, as cameras do when an outage heals, and the figure is
 * clients over the time from the first connect to the last welcome.
 *
 *   node --import tsx bench/raw-ws.ts [clients]       (or import rawHelloRate beside another bench)
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';

const TIMEOUT_MS = 120_000;
const MAX_TRIES = 5;
const RETRY_MS = 250;

if (process.env.STAMPEDE_RAW_WS_ROLE === 'server') {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const hello = JSON.parse(String(data)) as { cameraId: string };
      socket.send(JSON.stringify({ type: 'welcome', cameraId: hello.cameraId }));
    });
  });
  server.on('listening', () => process.send!({ port: (server.address() as { port: number }).port }));
  process.on('disconnect', () => process.exit(0));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const clients = Number(process.argv[2] ?? 5000);
  console.log(`raw ws: ${clients} clients, ${Math.round(await rawHelloRate(clients))} hellos/s`);
}

/** Hellos per second for `clients` bare ws clients connecting at once to a minimal server in a child process. */
export async function rawHelloRate(clients: number): Promise<number> {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, STAMPEDE_RAW_WS_ROLE: 'server' }, execArgv: ['--import', 'tsx'] });
  const sockets: WebSocket[] = [];
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message) => resolve((message as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`the raw ws server exited (${code})`)));
    });
    const started = performance.now();
    let welcomed = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`raw ws: ${welcomed} of ${clients} welcomed within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      // A client whose connect is reset (the listen backlog overflows when thousands connect at once) tries again,
      // as a camera would, a bounded number of times: the figure is for every client welcomed, not a crash.
      const open = (i: number, tries: number): void => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
        sockets.push(socket);
        socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', cameraId: `cam-${i}`, secret: 'x' })));
        socket.once('message', () => {
          welcomed += 1;
          if (welcomed === clients) {
            clearTimeout(timer);
            resolve();
          }
        });
        socket.once('error', (error) => {
          if (tries < MAX_TRIES) return void setTimeout(open, RETRY_MS, i, tries + 1);
          clearTimeout(timer);
          reject(new Error(`raw ws: client ${i} failed ${tries} times, the last with ${error.message}`));
        });
      };
      for (let i = 0; i < clients; i++) open(i, 1);
    });
    return clients / ((performance.now() - started) / 1000);
  } finally {
    for (const socket of sockets) socket.terminate();
    child.kill();
  }
}
