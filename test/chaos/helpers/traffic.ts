/** Bounded TCP probes through a proxy: every one ends within its timeout, and every socket is destroyed. */
import { connect, type Socket } from 'node:net';

/** How a probe ended: all bytes back, or the way the connection failed. */
export type ProbeResult =
  | { outcome: 'echoed'; data: Buffer; ms: number; chunks: number }
  | { outcome: 'error'; code: string; ms: number }
  | { outcome: 'closed'; received: number; ms: number }
  | { outcome: 'silent'; received: number; ms: number };

/** Connects to `port`, sends `payload` and waits until as many bytes come back, for at most `timeoutMs`. */
export function echoProbe(port: number, payload: Buffer, timeoutMs: number): Promise<ProbeResult> {
  return withSocket(port, timeoutMs, (socket, finish, started) => {
    const received: Buffer[] = [];
    let bytes = 0;
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      bytes += chunk.length;
      if (bytes >= payload.length) finish({ outcome: 'echoed', data: Buffer.concat(received), ms: performance.now() - started, chunks: received.length });
    });
    socket.on('close', () => finish({ outcome: 'closed', received: bytes, ms: performance.now() - started }));
    return () => ({ outcome: 'silent', received: bytes, ms: performance.now() - started });
  });
}

/** Connects and waits, sending nothing, until the other side ends the connection; ms from connect to end. */
export function closeProbe(port: number, timeoutMs: number): Promise<ProbeResult> {
  return withSocket(port, timeoutMs, (socket, finish, started) => {
    socket.on('end', () => finish({ outcome: 'closed', received: 0, ms: performance.now() - started }));
    socket.resume();
    return () => ({ outcome: 'silent', received: 0, ms: performance.now() - started });
  });
}

/** An open connection whose end we can await, for "the outage drops live connections". */
export async function openConnection(port: number): Promise<{ socket: Socket; ended: Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, ended };
}

type Finish = (result: ProbeResult) => void;

function withSocket(port: number, timeoutMs: number, wire: (socket: Socket, finish: Finish, started: number) => () => ProbeResult): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host: '127.0.0.1', port });
    let done = false;
    const finish: Finish = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ outcome: 'error', code: error.code ?? error.message, ms: performance.now() - started }));
    const onTimeout = wire(socket, finish, started);
    const timer = setTimeout(() => finish(onTimeout()), timeoutMs);
  });
}
