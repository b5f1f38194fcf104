/**
 * WebSocket keepalive for every socket of the cloud with one timer: each sweep terminates the sockets that did
 * not answer the previous sweep's ping and pings the rest. Per socket this costs one (shared) pong listener.
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
  // One listener shared by every socket (`this` is the socket), not a closure per socket.
  function answered(this: WebSocket): void {
    silent.delete(this);
  }
  return {
    track(socket) {
      socket.on('pong', answered);
    },
    stop: () => clearInterval(timer),
  };
}
