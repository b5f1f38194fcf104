/**
 * The MQTT cloud's own app and admin API shapes. Deliberately unlike docs/protocol.md: other paths, other
 * field names, a session cookie instead of a Bearer token, offset paging, an `X-Admin-Key` header, and a
 * timestamp as an ISO string. An adapter has to map every one of them.
 */
import { z } from 'zod';
import { Id } from '../../src/protocol/schema.ts';

export const SESSION_COOKIE = 'camsid';
export const ADMIN_HEADER = 'x-admin-key';
/** The largest `count` of one feed page. */
export const MAX_FEED_COUNT = 250;

export const SessionRequest = z.object({ username: z.string().min(1).max(320), passphrase: z.string().min(1).max(1_024) });

export const WorldBody = z.object({
  accounts: z.array(z.object({ id: Id, username: z.string().min(1), passphrase: z.string().min(1) })),
  devices: z.array(z.object({ id: Id, secret: z.string().min(1), owner: Id, guests: z.array(Id).default([]) })),
});
export type WorldBody = z.infer<typeof WorldBody>;

export const TransferBody = z.object({ to: Id });
export const GuestBody = z.object({ account: Id });

/** One event as the app API shows it, in lists and on the push stream. */
export interface FeedItem {
  id: string;
  device: string;
  type: string;
  /** ISO 8601. */
  at: string;
  snapshot: string;
}

export function snapshotPath(eventId: string): string {
  return `/api/snapshots/${eventId}`;
}

export function feedItem(event: { eventId: string; cameraId: string; kind: string; ts: number }): FeedItem {
  return { id: event.eventId, device: event.cameraId, type: event.kind, at: new Date(event.ts).toISOString(), snapshot: snapshotPath(event.eventId) };
}
