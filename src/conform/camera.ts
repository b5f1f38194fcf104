/** A camera on `/v1/device`: hello until welcome, then events each awaited until acked. */
import { Ack, Welcome, type EventKind } from '../protocol/schema.ts';
import type { z } from 'zod';
import { conformsTo } from './answers.ts';
import { Mismatch } from './expectation.ts';
import type { FixtureCamera } from './fixture.ts';
import type { ProtocolSocket } from './socket.ts';
import type { Target } from './target.ts';

export interface CameraEvent {
  eventId: string;
  kind: z.infer<typeof EventKind>;
  ts: number;
  thumbnail: Buffer;
}

/** Sends hello and returns without waiting, for checks on how a hello is refused. */
export async function sendHello(target: Target, camera: { cameraId: string; secret: string }): Promise<ProtocolSocket> {
  const socket = target.socket('/v1/device');
  await socket.opened();
  socket.send({ type: 'hello', cameraId: camera.cameraId, secret: camera.secret });
  return socket;
}

/** A camera connected and welcomed. */
export async function connectCamera(target: Target, camera: FixtureCamera): Promise<ProtocolSocket> {
  const socket = await sendHello(target, camera);
  const welcome = conformsTo(await socket.next(), Welcome, 'device socket sent', '{"type":"welcome","cameraId"}');
  if (welcome.cameraId !== camera.cameraId) {
    throw new Mismatch(`welcome for ${welcome.cameraId}`, `welcome for ${camera.cameraId}`);
  }
  return socket;
}

/** Sends one event and waits for its ack: after the ack the protocol says it is stored and visible. */
export async function sendEvent(socket: ProtocolSocket, event: CameraEvent): Promise<void> {
  socket.send({ type: 'event', eventId: event.eventId, kind: event.kind, ts: event.ts, thumbnail: event.thumbnail.toString('base64') });
  const ack = conformsTo(await socket.next(), Ack, 'device socket sent', `{"type":"ack","eventId":"${event.eventId}"}`);
  if (ack.eventId !== event.eventId) throw new Mismatch(`ack for ${ack.eventId}`, `ack for ${event.eventId}`);
}
