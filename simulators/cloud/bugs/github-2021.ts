/**
 * github-2021: in March 2021 GitHub briefly logged a few users into other users' sessions. A rare race: an
 * object holding one request's state was shared between threads, so under concurrency a request could read
 * another request's user (github.blog, 2021-03-18, "How we found and fixed a rare race condition in our
 * session handling").
 *
 * The model is a request context kept in one per-process slot instead of per request: `bind` sets it when a
 * request starts, and `current()` reads whatever the slot holds when asked. Read before the request's first
 * await, it is right; read after one (the event list reads it again after its cache lookup), it names whichever
 * request was bound last. One request at a time, it is always right.
 */
import type { CloudBug, UserContext } from '../seams.ts';

export function sharedSlotUserContext(): UserContext {
  // The flaw: one slot for the whole process, where each request needed its own.
  let slot: string | undefined;
  return {
    bind(userId, handle) {
      slot = userId;
      return handle();
    },
    current() {
      if (slot === undefined) throw new Error('no user bound to this request');
      return slot;
    },
  };
}

export const github2021: CloudBug = {
  name: 'github-2021',
  summary: 'Mar 2021: request state kept in a slot shared by concurrent requests, so one acts as another user',
  userContext: () => sharedSlotUserContext(),
};
