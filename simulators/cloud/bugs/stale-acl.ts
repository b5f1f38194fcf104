/**
 * stale-acl: authorization cached past a change. In June 2019 a Nest Cam sold second-hand kept streaming to its
 * previous owner, through a Wink integration that still held its access after a factory reset (Wirecutter's
 * report); the general class is a camera revoked or transferred that its former user can still watch.
 *
 * The model has two parts that each look reasonable alone. The push hub decides which cameras a subscriber may
 * hear about when the stream connects, and never asks again for the life of the socket. And the access-change
 * hook does nothing, so the caches keyed by access versions (camera access records, event pages) are never
 * retired and keep answering for their whole TTL. After a revoke or a transfer, the former sharee or owner keeps
 * getting pushes of the camera's new events and keeps being served the event pages it saw before. Without access
 * changes both are exact.
 */
import type { WebSocket } from 'ws';
import type { CloudBug, PushHub } from '../seams.ts';
import type { SystemOfRecord } from '../store.ts';
import { sendFrame } from '../ws/frames.ts';

export function connectTimePushHub(store: SystemOfRecord): PushHub {
  /** Each socket with the cameras its user had when it connected: the flaw, a grant frozen at connect time. */
  const grants = new Map<WebSocket, { userId: string; cameras: ReadonlySet<string> }>();
  return {
    subscribe(userId, socket) {
      grants.set(socket, { userId, cameras: new Set([...store.camerasOf(userId)].map((camera) => camera.cameraId)) });
    },
    unsubscribe(_userId, socket) {
      grants.delete(socket);
    },
    publish(event, frame) {
      for (const [socket, grant] of grants) if (grant.cameras.has(event.cameraId)) sendFrame(socket, frame);
    },
    sockets: () => grants.keys(),
  };
}

export const staleAcl: CloudBug = {
  name: 'stale-acl',
  summary: 'access decided when a stream connects and caches never told of revokes or transfers',
  pushHub: (env) => connectTimePushHub(env.store),
  // The flaw's second half: a revoke or transfer retires nothing.
  invalidation: () => ({ accessChanged: () => undefined }),
};
