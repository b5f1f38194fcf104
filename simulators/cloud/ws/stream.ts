/**
 * The push stream, `/v1/stream`: the user is authenticated from the Bearer header or `?token=` after the
 * upgrade (the protocol answers a bad token with close code 4401), then the socket joins the push hub.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { CloseCode } from '../../../src/protocol/schema.ts';
import { bearerToken, type CloudContext } from '../context.ts';

export function acceptStream(ctx: CloudContext, socket: WebSocket, req: IncomingMessage): void {
  socket.on('error', () => undefined);
  // What a client sends on the stream means nothing; reading it keeps the socket flowing.
  socket.on('message', () => undefined);
  const token = bearerToken(req.headers.authorization) ?? tokenParameter(req.url);
  const generation = ctx.store.generation;
  const resolved = token === undefined ? Promise.resolve(undefined) : ctx.views.userOfToken(token);
  resolved
    .then((userId) => {
      if (socket.readyState !== socket.OPEN) return;
      if (userId === undefined || generation !== ctx.store.generation) {
        socket.close(CloseCode.unauthorized, 'a valid token from /v1/login is needed');
        return;
      }
      ctx.parts.pushHub.subscribe(userId, socket);
      socket.on('close', () => ctx.parts.pushHub.unsubscribe(userId, socket));
    })
    .catch((error: unknown) => {
      ctx.log(`stream setup failed: ${error instanceof Error ? error.message : String(error)}`);
      socket.close(1011, 'the cloud failed to open this stream');
    });
}

function tokenParameter(url: string | undefined): string | undefined {
  try {
    const token = new URL(url ?? '/', 'http://cloud.invalid').searchParams.get('token');
    return token === null || token === '' || token.length > 512 ? undefined : token;
  } catch {
    return undefined;
  }
}
