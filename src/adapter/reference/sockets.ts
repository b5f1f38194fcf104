/**
 * The reference adapter's sockets, per run context: when the run's signal aborts, every socket still open (a
 * device still waiting for its welcome, a stream) is cut at once, so nothing outlives the run. One listener per
 * context, not one per socket.
 */
import type WebSocket from 'ws';
import { TargetFailure } from '../define.ts';

/**
 * Masks the fleet's frames with an all-zero key, which `ws` then skips, sending a text frame's string as it is. The
 * mask keeps a hostile web page from poisoning proxies' caches (RFC 6455 section 10.3); a simulated device on this
 * machine has no such page, and a zero key is a key like any other to the backend. Random keys and the copy they
 * force were a third of what sending an event cost a camera.
 */
export function zeroMask(mask: Buffer): void {
  mask.fill(0);
}

const bySignal = new WeakMap<AbortSignal, Set<WebSocket>>();

/** Tracks `socket` until it closes (call `forget`); cut at once if the signal has already aborted. */
export function track(signal: AbortSignal, socket: WebSocket): void {
  if (signal.aborted) {
    socket.terminate();
    return;
  }
  let open = bySignal.get(signal);
  if (!open) {
    const sockets = (open = new Set());
    bySignal.set(signal, sockets);
    signal.addEventListener('abort', () => {
      for (const each of sockets) each.terminate();
      sockets.clear();
    }, { once: true });
  }
  open.add(socket);
}

export function forget(signal: AbortSignal, socket: WebSocket): void {
  bySignal.get(signal)?.delete(socket);
}

/** Closes politely, and cuts the socket if the other side has not answered the close within `graceMs`. */
export function closeSoon(socket: WebSocket, code: number, reason: string, graceMs = 500): void {
  socket.close(code, reason);
  setTimeout(cut, graceMs, socket).unref();
}

function cut(socket: WebSocket): void {
  if (socket.readyState !== socket.CLOSED) socket.terminate();
}

/**
 * A `TargetFailure` made without a stack: in an outage every connect fails, thousands a second, and a stack (which
 * tsx would also source-map) says nothing about a refused connection.
 */
export function failedWithoutStack(message: string, code?: number): TargetFailure {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new TargetFailure(message, code);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
