/**
 * The camera channel, `/v1/device`: hello/welcome, then events acked once stored. Per socket the state is one
 * variable (the camera it said hello as), so ten thousand cameras stay cheap. A newer hello for the same camera
 * replaces the older socket (4409); anything sent before a good hello is refused with 4401.
 */
import { timingSafeEqual } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import type { z } from 'zod';
import { CloseCode, DeviceMessage, thumbnailPath } from '../../../src/protocol/schema.ts';
import type { CloudContext } from '../context.ts';
import { digest } from '../store.ts';
import { errorFrame, sendFrame } from './frames.ts';
import { decodeThumbnail } from './thumbnail.ts';

type Message = z.infer<typeof DeviceMessage>;
type Hello = Extract<Message, { type: 'hello' }>;
type CameraEvent = Extract<Message, { type: 'event' }>;

export function acceptDevice(ctx: CloudContext, socket: WebSocket): void {
  sessions.set(socket, new DeviceSession(ctx, socket));
  socket.on('error', ignore);
  socket.on('close', onClose);
  socket.on('message', onMessage);
}

/**
 * A device socket's state, with its handlers on the prototype and the socket's listeners shared by every socket:
 * per-socket closures (three listeners and three inner functions, each named by tsx at creation) were a
 * noticeable share of what accepting a camera cost the cloud in a reconnect storm.
 */
class DeviceSession {
  /** The camera this socket said hello as. */
  cameraId: string | undefined;
  /** An event sent right behind its hello waits for that hello rather than being refused. */
  pendingHello: Promise<void> | undefined;

  constructor(
    readonly ctx: CloudContext,
    readonly socket: WebSocket,
  ) {}

  handle(data: RawData, isBinary: boolean): void {
    const { ctx, socket } = this;
    const message = parse(data, isBinary);
    if (typeof message === 'string') return sendFrame(socket, errorFrame('bad_request', message));
    let handled: Promise<void>;
    if (message.type === 'hello') handled = this.pendingHello = this.hello(message);
    else handled = this.event(message);
    handled.catch((error: unknown) => {
      ctx.log(`device message failed: ${error instanceof Error ? error.message : String(error)}`);
      sendFrame(socket, errorFrame('internal', 'the cloud failed to handle this message'));
    });
  }

  closed(): void {
    const { ctx, socket, cameraId } = this;
    if (cameraId !== undefined && ctx.devices.get(cameraId) === socket) ctx.devices.delete(cameraId);
  }

  async hello(message: Hello): Promise<void> {
    const { ctx, socket } = this;
    const generation = ctx.store.generation;
    let record = await ctx.parts.cameraLookup(message.cameraId);
    if (generation !== ctx.store.generation) return; // the world was replaced meanwhile; this socket is closing
    // Authentication is the device's own credential: a lookup that answers for another camera never decides it.
    if (record && record.cameraId !== message.cameraId) record = ctx.store.camera(message.cameraId);
    if (!record || !secretMatches(message.secret, record.secretDigest)) {
      socket.close(CloseCode.unauthorized, 'unknown camera or wrong secret');
      return;
    }
    if (socket.readyState !== socket.OPEN) return;
    const cameraId = this.cameraId;
    if (cameraId !== undefined && cameraId !== message.cameraId && ctx.devices.get(cameraId) === socket) ctx.devices.delete(cameraId);
    const previous = ctx.devices.get(message.cameraId);
    if (previous && previous !== socket) previous.close(CloseCode.replaced, 'replaced by a newer connection of this camera');
    ctx.devices.set(message.cameraId, socket);
    this.cameraId = message.cameraId;
    sendFrame(socket, JSON.stringify({ type: 'welcome', cameraId: message.cameraId }));
  }

  async event(message: CameraEvent): Promise<void> {
    const { ctx, socket } = this;
    if (this.cameraId === undefined && this.pendingHello) await this.pendingHello.catch(() => undefined);
    const camera = this.cameraId;
    if (camera === undefined) {
      socket.close(CloseCode.unauthorized, 'say hello first');
      return;
    }
    const thumbnail = decodeThumbnail(message.thumbnail);
    if (!thumbnail.ok) return sendFrame(socket, errorFrame(thumbnail.code, thumbnail.message));
    if (this.answeredAlready(message.eventId, camera)) return;
    const generation = ctx.store.generation;
    const versionBefore = ctx.store.cameraVersion(camera);
    let record = await ctx.parts.cameraLookup(camera);
    if (generation !== ctx.store.generation) return;
    // Access changed while the lookup was out: the audience must be the one in force when we ack.
    if (ctx.store.cameraVersion(camera) !== versionBefore) record = ctx.store.camera(camera);
    if (!record) {
      socket.close(CloseCode.unauthorized, 'this camera is not registered any more');
      return;
    }
    // A retry may have been stored by another socket of this camera while we waited.
    if (this.answeredAlready(message.eventId, camera)) return;
    const audience = [record.ownerId, ...record.sharees.filter((userId) => userId !== record.ownerId)];
    // The event belongs to the device the access record describes, as ingestion pipelines attribute it by the
    // mapping they looked up. The correct lookup always describes `camera`; a lookup that mixes devices up
    // (wyze-2024) files the event, thumbnail and all, under another camera's account.
    const owner = record.cameraId;
    const stored = ctx.store.acceptEvent({ eventId: message.eventId, cameraId: owner, kind: message.kind, ts: message.ts, thumbnail: thumbnail.bytes, audience });
    const pushed = { eventId: stored.eventId, cameraId: owner, kind: stored.kind, ts: stored.ts, thumbnail: thumbnailPath(stored.eventId) };
    ctx.parts.pushHub.publish(stored, JSON.stringify({ type: 'event', event: pushed }));
    sendFrame(socket, JSON.stringify({ type: 'ack', eventId: stored.eventId }));
  }

  /** True when the eventId is known: acked again if it is this camera's, refused if another camera's. */
  answeredAlready(eventId: string, camera: string): boolean {
    const known = this.ctx.store.events.get(eventId);
    if (!known) return false;
    if (known.cameraId === camera) sendFrame(this.socket, JSON.stringify({ type: 'ack', eventId }));
    else sendFrame(this.socket, errorFrame('conflict', `event id ${eventId} belongs to another camera`));
    return true;
  }
}

const sessions = new WeakMap<WebSocket, DeviceSession>();

function ignore(): void {}

function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  sessions.get(this)!.handle(data, isBinary);
}

function onClose(this: WebSocket): void {
  sessions.get(this)!.closed();
}

function secretMatches(secret: string, secretDigest: string): boolean {
  const expected = Buffer.from(secretDigest, 'hex');
  const given = digest(secret);
  return expected.length === given.length && timingSafeEqual(given, expected);
}

/** The message, or a line saying why it is not one. */
function parse(data: RawData, isBinary: boolean): Message | string {
  if (isBinary) return 'messages are JSON text frames';
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return 'the message is not valid JSON';
  }
  const parsed = DeviceMessage.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return `invalid message: ${issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'not a protocol message'}`;
}
