/**
 * The reference protocol's push channel: the `/v1/stream` WebSocket, one per user. Opening resolves once the socket
 * is open; each `event` message goes to the sink; any close ends the channel (4401: logged out). Handlers are shared
 * functions (`this` is the socket), so no closure is made per user.
 */
import WebSocket from 'ws';
import { socketErrorText } from '../../protocol/answer-body.ts';
import { endpoint } from '../../protocol/endpoint.ts';
import { MAX_TARGET_FRAME_BYTES } from '../../protocol/limits.ts';
import { CloseCode, StreamMessage } from '../../protocol/schema.ts';
import type { AdapterContext, PushChannel, PushSink } from '../types.ts';
import { closeSoon, failedWithoutStack, forget, track, zeroMask } from './sockets.ts';

/** One stream: the socket, where its items go, and the open promise's ends until it settles. */
class Stream implements PushChannel {
  opened = false;
  closing: (() => void) | undefined;
  constructor(
    readonly socket: WebSocket,
    readonly sink: PushSink,
    readonly signal: AbortSignal,
    public resolve: ((channel: PushChannel) => void) | undefined,
    public reject: ((error: Error) => void) | undefined,
  ) {}

  /** Resolves once the socket has closed (cut if the other side does not answer the close in time). */
  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.closing = resolve;
      closeSoon(this.socket, 1001, 'user leaving');
    });
  }
}

const streams = new WeakMap<WebSocket, Stream>();

export function push(ctx: AdapterContext, token: string, sink: PushSink): Promise<PushChannel> {
  const url = `${endpoint(ctx.endpoints.target!, '/v1/stream', 'ws')}?token=${encodeURIComponent(token)}`;
  const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: ctx.timeoutMs, maxPayload: MAX_TARGET_FRAME_BYTES, generateMask: zeroMask });
  track(ctx.signal, socket);
  return new Promise((resolve, reject) => {
    streams.set(socket, new Stream(socket, sink, ctx.signal, resolve, reject));
    socket.on('open', onOpen);
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.on('error', onError); // a close always follows, and the close is what ends the channel
  });
}

function onOpen(this: WebSocket): void {
  const stream = streams.get(this)!;
  stream.opened = true;
  stream.resolve?.(stream);
  stream.resolve = stream.reject = undefined;
}

function onMessage(this: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
  const stream = streams.get(this)!;
  let parsed: unknown;
  try {
    parsed = isBinary ? undefined : JSON.parse(data.toString());
  } catch {
    parsed = undefined;
  }
  const message = StreamMessage.safeParse(parsed);
  if (!message.success) {
    const sample = isBinary ? '<binary frame>' : data.toString().slice(0, 80);
    return stream.sink.unreadable(`unexpected stream message: ${sample}`);
  }
  stream.sink.item(message.data.event);
}

function onClose(this: WebSocket, code: number): void {
  const stream = streams.get(this)!;
  forget(stream.signal, this);
  stream.closing?.();
  if (!stream.opened) {
    stream.reject?.(failedWithoutStack(`/v1/stream closed before it opened (${code})`, code));
    stream.resolve = stream.reject = undefined;
    return;
  }
  stream.sink.closed(undefined, { loggedOut: code === CloseCode.unauthorized, code });
}

/** Socket errors end in a close; only a frame over the bound is said, as the backend's error, since it says why. */
function onError(this: WebSocket, error: Error & { code?: string }): void {
  const stream = streams.get(this);
  if (stream && error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') stream.sink.unreadable(socketErrorText(error, '/v1/stream'));
}
