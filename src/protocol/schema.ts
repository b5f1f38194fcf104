/**
 * The wire contract of docs/protocol.md as zod schemas, shared by the reference cloud (to validate what
 * it is sent), conform and the drivers (to validate what a target answers). One place, so the three agree.
 */
import { z } from 'zod';
import { EVENT_KINDS } from './limits.ts';

export { CloseCode, EVENT_KINDS, MAX_EVENTS_LIMIT, MAX_THUMBNAIL_BYTES, thumbnailPath } from './limits.ts';

export const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const Id = z.string().regex(ID_PATTERN, 'ids match ^[A-Za-z0-9._-]{1,64}$');
export const EventKind = z.enum(EVENT_KINDS);
export const CAPABILITIES = ['stream', 'thumbnails', 'shares', 'transfer'] as const;
/** `PUT /v1/admin/world` bodies are at most 64 MiB. */
export const MAX_WORLD_BODY_BYTES = 64 * 1024 * 1024;

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const Health = z.object({ status: z.literal('ok'), capabilities: z.array(z.string()) });

export const WorldSeed = z.object({
  users: z.array(z.object({ userId: Id, email: z.string().min(1), password: z.string().min(1) })),
  cameras: z.array(z.object({ cameraId: Id, secret: z.string().min(1), ownerId: Id })),
  shares: z.array(z.object({ cameraId: Id, userId: Id })).default([]),
});
export type WorldSeed = z.infer<typeof WorldSeed>;

export const OwnerChange = z.object({ ownerId: Id });
export const LoginRequest = z.object({ email: z.string(), password: z.string() });
export const LoginAnswer = z.object({ token: z.string().min(1), userId: Id });

export const CameraEntry = z.object({
  cameraId: Id,
  role: z.enum(['owner', 'shared']),
  online: z.boolean(),
});
export const CameraList = z.object({ cameras: z.array(CameraEntry) });
export type CameraEntry = z.infer<typeof CameraEntry>;

export const Event = z.object({
  eventId: Id,
  cameraId: Id,
  kind: EventKind,
  ts: z.number().int(),
  thumbnail: z.string(),
});
export type Event = z.infer<typeof Event>;
export const EventPage = z.object({ events: z.array(Event), next: z.string() });
export type EventPage = z.infer<typeof EventPage>;

/** Pushed on `/v1/stream`. */
export const StreamMessage = z.object({ type: z.literal('event'), event: Event });

/** What a camera sends on `/v1/device`. */
export const DeviceHello = z.object({ type: z.literal('hello'), cameraId: Id, secret: z.string() });
export const DeviceEvent = z.object({
  type: z.literal('event'),
  eventId: Id,
  kind: EventKind,
  ts: z.number().int(),
  thumbnail: z.string(),
});
export const DeviceMessage = z.discriminatedUnion('type', [DeviceHello, DeviceEvent]);

/** What the target sends a camera. */
export const Welcome = z.object({ type: z.literal('welcome'), cameraId: Id });
export const Ack = z.object({ type: z.literal('ack'), eventId: Id });
