/** Sending on a socket that may have gone away meanwhile, and the error frame of the device channel. */
import { WebSocket } from 'ws';

/** More unsent data than this and the reader is too slow: it is dropped and catches up through /v1/events. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function sendFrame(socket: WebSocket, frame: string): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.close(1013, 'too slow; catch up through /v1/events');
    return;
  }
  socket.send(frame);
}

/** The device channel answers a bad message with the HTTP error body shape, tagged as a frame. */
export function errorFrame(code: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { code, message } });
}
