/** Every user call refuses a missing or unknown token with 401 and the protocol's error body. */
import { randomBytes } from 'node:crypto';
import { expectError } from '../answers.ts';
import { connectCamera, sendEvent } from '../camera.ts';
import type { Area, Capability, Step } from '../expectation.ts';
import { newEvent, seededSession, type Session } from '../session.ts';

interface UserAuthState extends Session {
  eventId: string;
}

const CALLS: { route: string; path: (state: UserAuthState) => string; needs?: Capability[] }[] = [
  { route: '/v1/cameras', path: () => '/v1/cameras' },
  { route: '/v1/events', path: () => '/v1/events' },
  // A real event, so a 401 is about the token and not a 404 for the id.
  { route: '/v1/events/{eventId}/thumbnail', path: (s) => `/v1/events/${s.eventId}/thumbnail`, needs: ['thumbnails'] },
];

function refusals(call: (typeof CALLS)[number]): Step<UserAuthState>[] {
  const attempt = (token: string | undefined) => async (state: UserAuthState) => {
    const answer = await state.target.http.call('GET', call.path(state), token === undefined ? {} : { token });
    expectError(answer, 401);
  };
  return [
    { name: `GET ${call.route}: 401 without a token`, needs: call.needs, run: attempt(undefined) },
    { name: `GET ${call.route}: 401 with an unknown token`, needs: call.needs, run: attempt(randomBytes(16).toString('hex')) },
  ];
}

export const userAuth: Area<UserAuthState> = {
  name: 'user auth',
  async setup(target) {
    const session = await seededSession(target);
    const socket = await connectCamera(target, session.fixture.front);
    const event = newEvent(session.fixture, 'auth');
    await sendEvent(socket, event);
    return { ...session, eventId: event.eventId };
  },
  steps: CALLS.flatMap(refusals),
};
