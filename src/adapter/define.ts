/**
 * What an adapter file imports from `stampede/adapter`: `defineAdapter` to type-check its hooks, and `refused`
 * to say the backend turned a request down (which is an observation, not an adapter failure).
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
