/**
 * What an adapter file imports from `stampede/adapter`: `defineAdapter` to type-check its hooks, `refused` to say
 * the backend turned a request down and `targetFailed` to say it failed (observations, not adapter failures).
 */
import type { Adapter } from './types.ts';

export type * from './types.ts';

/** Returns the adapter as given: its only job is to make TypeScript check the hooks against the contract. */
export function defineAdapter<Session>(adapter: Adapter<Session>): Adapter<Session> {
  return adapter;
}

/**
 * The backend refused a request with this status (401: logged out or bad credentials, 403, 404...). Thrown from a
 * hook, it is recorded as the backend's answer: a 401 makes the user log in again, a refused device connect is a
 * refused camera. Any other throw is recorded as an error naming the adapter.
 */
export class Refusal extends Error {
  constructor(readonly status: number, message = `refused with ${status}`) {
    super(message);
    this.name = 'Refusal';
  }
}

/** `throw refused(403)`: see `Refusal`. */
export function refused(status: number, message?: string): Refusal {
  return new Refusal(status, message);
}

/** `throw loggedOut()`: the session is no longer valid; the user logs in again. */
export function loggedOut(message = 'logged out'): Refusal {
  return new Refusal(401, message);
}

/**
 * The backend failed in a way that is its own, not the adapter's: it answered something the adapter cannot read
 * (not JSON, the wrong shape, too large), or the connection failed or closed before it was accepted. Thrown from a
 * hook, it is recorded as the target's error, as a network failure is; any other throw names the adapter.
 * `code` is a transport close code, if there is one.
 */
export class TargetFailure extends Error {
  constructor(message: string, readonly code?: number) {
    super(message);
    this.name = 'TargetFailure';
  }
}

/** `throw targetFailed('GET /v1/events answered non-JSON')`: see `TargetFailure`. */
export function targetFailed(message: string, code?: number): TargetFailure {
  return new TargetFailure(message, code);
}
