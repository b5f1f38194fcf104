/** The correct implementation of every pluggable part (seams.ts); the leak zoo replaces some of them. */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { WebSocket } from 'ws';
import type { CachedViews } from './cache/views.ts';
import type { AccessInvalidation, CameraLookup, PushHub, ResponseCache, UserContext } from './seams.ts';
import type { SystemOfRecord } from './store.ts';
import { sendFrame } from './ws/frames.ts';

/** Reads the camera's access record through the cache, keyed by the camera's current access version. */
export function cachedCameraLookup(views: CachedViews): CameraLookup {
  return (cameraId) => views.cameraRecord(cameraId);
}

/** Answers every authenticated GET afresh: nothing about one user's answer is kept for another. */
export function noResponseCache(): ResponseCache {
  return { serve: (_request, produce) => produce() };
}

/** Each request carries its own user through its async continuation, so concurrent requests never mix. */
export function asyncUserContext(): UserContext {
  const storage = new AsyncLocalStorage<string>();
  return {
    bind: (userId, handle) => storage.run(userId, handle),
    current() {
      const userId = storage.getStore();
      if (userId === undefined) throw new Error('no user bound to this request');
      return userId;
    },
  };
}

/**
 * Pushes an event to the live sockets of its audience who still have access: the audience was fixed when the
 * event was accepted, the access is checked at the moment of sending.
 */
export function audiencePushHub(store: SystemOfRecord): PushHub {
  const socketsOf = new Map<string, Set<WebSocket>>();
  return {
    subscribe(userId, socket) {
      const sockets = socketsOf.get(userId);
      if (sockets) sockets.add(socket);
      else socketsOf.set(userId, new Set([socket]));
    },
    unsubscribe(userId, socket) {
      const sockets = socketsOf.get(userId);
      if (!sockets) return;
      sockets.delete(socket);
      if (sockets.size === 0) socketsOf.delete(userId);
    },
    publish(event, frame) {
      for (const userId of event.audience) {
        if (!store.hasAccess(userId, event.cameraId)) continue;
        for (const socket of socketsOf.get(userId) ?? []) sendFrame(socket, frame);
      }
    },
    *sockets() {
      for (const sockets of socketsOf.values()) yield* sockets;
    },
  };
}

/** Retires the camera's cached access record and the cached event pages of everyone whose access changed. */
export function versionBumpInvalidation(store: SystemOfRecord): AccessInvalidation {
  return {
    accessChanged(cameraId, users) {
      store.bumpCameraVersion(cameraId);
      for (const userId of users) store.bumpFeedVersion(userId);
    },
  };
}
