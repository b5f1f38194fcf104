/**
 * WebSocket keepalive for every socket of the cloud with one timer: each sweep terminates the sockets that did
 * not answer the previous sweep's ping and pings the rest. Per socket this costs one pong listener.
 */
import type { WebSocket, WebSocketServer } from 'ws';

export interface Keepalive {
  /** Starts watching a freshly accepted socket. */
  track(socket: WebSocket): void;
  stop(): void;
}

export function startKeepalive(servers: readonly WebSocketServer[], intervalMs: number): Keepalive {
  const silent = new WeakSet<WebSocket>();
  const timer = setInterval(() => {
    for (const server of servers) {
      for (const socket of server.clients) {
        if (silent.has(socket)) {
          socket.terminate();
          continue;
        }
        silent.add(socket);
        socket.ping();
      }
    }
  }, intervalMs);
  timer.unref();
  return {
    track(socket) {
      socket.on('pong', () => silent.delete(socket));
    },
    stop: () => clearInterval(timer),
  };
}
