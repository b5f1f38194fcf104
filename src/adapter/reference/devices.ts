/**
 * The reference protocol's device side: the `/v1/device` WebSocket. A connect sends `hello` and resolves on
 * `welcome`; a close before it rejects (4401: refused); after it, acks go to the link and a close is a drop. The
 * welcome wait is bounded by the context's timeout. Handlers are shared functions (`this` is the socket), so a
 * camera costs one small record per connection, no closures.
 */
import WebSocket from 'ws';
import { socketErrorText } from '../../protocol/answer-body.ts';
import { endpoint } from '../../protocol/endpoint.ts';
import { MAX_TARGET_FRAME_BYTES } from '../../protocol/limits.ts';
import { CloseCode } from '../../protocol/schema.ts';
import { Refusal, TargetFailure } from '../define.ts';
import type { AdapterContext, DeviceConnection, DeviceEvent, DeviceHooks, DeviceLink, WorldCamera } from '../types.ts';
import { closeSoon, failedWithoutStack, forget, track, zeroMask } from './sockets.ts';

/** One device connection: its socket and link, and the connect promise's ends until the welcome. */
class Device implements DeviceConnection {
  welcomed = false;
  /** The first socket error, said when the connection drops or fails. */
  error: string | undefined;
  timer: NodeJS.Timeout | undefined;
  closing: (() => void) | undefined;
  constructor(
    readonly socket: WebSocket,
    readonly camera: WorldCamera,
    readonly link: DeviceLink,
    readonly signal: AbortSignal,
    public resolve: ((connection: DeviceConnection) => void) | undefined,
    public reject: ((error: Error) => void) | undefined,
  ) {}

  send(event: DeviceEvent): void {
    // A closing socket sends nothing; its close follows and the camera resends on the next connection.
    if (this.socket.readyState !== WebSocket.OPEN) throw new TargetFailure('/v1/device is closing');
    const { eventId, kind, ts, thumbnail } = event;
    const base64 = Buffer.from(thumbnail.buffer, thumbnail.byteOffset, thumbnail.byteLength).toString('base64');
    this.socket.send(JSON.stringify({ type: 'event', eventId, kind, ts, thumbnail: base64 }));
  }

  /** Resolves once the socket has closed (cut if the other side does not answer the close in time). */
  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.closing = resolve;
      closeSoon(this.socket, 1001, 'camera closing');
    });
  }
}

const devices = new WeakMap<WebSocket, Device>();
/**
 * The device socket's URL, parsed once per run context: building it from the target's base took two URL parses
 * per connect, and `ws` a third; given a URL it parses none (and never changes it).
 */
const deviceUrls = new WeakMap<AdapterContext, URL>();

function deviceUrl(ctx: AdapterContext): URL {
  let url = deviceUrls.get(ctx);
  if (!url) deviceUrls.set(ctx, (url = new URL(endpoint(ctx.endpoints.target!, '/v1/device', 'ws'))));
  return url;
}

export const deviceHooks: DeviceHooks = {
  connect(ctx: AdapterContext, camera: WorldCamera, link: DeviceLink): Promise<DeviceConnection> {
    const socket = new WebSocket(deviceUrl(ctx), { perMessageDeflate: false, maxPayload: MAX_TARGET_FRAME_BYTES, generateMask: zeroMask });
    track(ctx.signal, socket);
    return new Promise((resolve, reject) => {
      const device = new Device(socket, camera, link, ctx.signal, resolve, reject);
      devices.set(socket, device);
      // Not welcomed in time (the upgrade included): cut, and the close rejects the connect.
      device.timer = setTimeout(cut, ctx.timeoutMs, socket);
      socket.on('open', onOpen);
      socket.on('message', onMessage);
      socket.on('close', onClose);
      socket.on('error', onError);
    });
  },
};

function cut(socket: WebSocket): void {
  socket.terminate();
}

function onOpen(this: WebSocket): void {
  const { camera } = devices.get(this)!;
  this.send(JSON.stringify({ type: 'hello', cameraId: camera.id, secret: camera.secret }));
}

function onMessage(this: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
  const device = devices.get(this)!;
  let message: { type?: unknown; eventId?: unknown; cameraId?: unknown } | undefined;
  try {
    message = isBinary ? undefined : JSON.parse(data.toString());
  } catch {
    message = undefined;
  }
  const type = message?.type;
  if (type === 'ack' && typeof message!.eventId === 'string') return device.link.acked(message!.eventId);
  if (type === 'welcome' && !device.welcomed && typeof message!.cameraId === 'string') {
    device.welcomed = true;
    clearTimeout(device.timer);
    device.timer = undefined;
    device.resolve!(device);
    device.resolve = device.reject = undefined;
    return;
  }
  const sample = isBinary ? '<binary frame>' : data.toString().slice(0, 120);
  device.link.unreadable(`unexpected device message: ${sample}`);
}

function onClose(this: WebSocket, code: number): void {
  const device = devices.get(this)!;
  forget(device.signal, this);
  device.closing?.();
  if (device.welcomed) return device.link.dropped(device.error, code);
  clearTimeout(device.timer);
  const error = code === CloseCode.unauthorized
    ? Object.assign(new Refusal(401, `/v1/device refused the camera (${code})`), { code })
    : failedWithoutStack(device.error ?? `/v1/device closed before the welcome (${code})`, code);
  device.reject?.(error);
  device.resolve = device.reject = undefined;
}

function onError(this: WebSocket, error: Error): void {
  const device = devices.get(this);
  if (device && device.error === undefined) device.error = socketErrorText(error, '/v1/device');
}
