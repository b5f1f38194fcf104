/** `GET /v1/events`: acceptance order, the caller's events only, pages and cursors, limit validation. */
import { ANSWER_BOUNDS } from '../../protocol/limits.ts';
import { thumbnailPath, type Event } from '../../protocol/schema.ts';
import { expectClientError } from '../answers.ts';
import { connectCamera, sendEvent, type CameraEvent } from '../camera.ts';
import type { Area } from '../expectation.ts';
import { expectThat, Mismatch } from '../expectation.ts';
import { newEvent, seededSession, type Session } from '../session.ts';
import { allEvents, eventPage, ids } from '../user.ts';

interface EventsState extends Session {
  /** alice's events in the order the target acked them. */
  sent: CameraEvent[];
  /** bob's, interleaved with alice's. */
  foreign: CameraEvent[];
  listed: Event[];
  lastNext?: string;
}

const ALICE_EVENTS = 7;
const PAGE = 3;

export const events: Area<EventsState> = {
  name: 'events',
  async setup(target) {
    const session = await seededSession(target);
    const { fixture } = session;
    const front = await connectCamera(target, fixture.front);
    const yard = await connectCamera(target, fixture.yard);
    const garage = await connectCamera(target, fixture.garage);
    const state: EventsState = { ...session, sent: [], foreign: [], listed: [] };
    // Each send waits for its ack, so acceptance order is exactly this order.
    for (let i = 0; i < ALICE_EVENTS; i += 1) {
      const event = newEvent(fixture, `order${i}`);
      await sendEvent(i % 2 === 0 ? front : yard, event);
      state.sent.push(event);
      const other = newEvent(fixture, `foreign${i}`);
      await sendEvent(garage, other);
      state.foreign.push(other);
    }
    return state;
  },
  steps: [
    {
      name: 'the list holds the caller\'s events in acceptance order',
      prerequisite: true,
      async run(state) {
        state.listed = await allEvents(state.target, state.tokens.alice);
        const seen = ids(state.listed).filter((id) => !state.foreign.some((f) => f.eventId === id));
        const expected = ids(state.sent);
        expectThat(seen.join() === expected.join(), () => `[${seen}]`, `[${expected}]`);
      },
    },
    {
      name: 'the list holds no event of another user\'s camera',
      async run({ listed, foreign }) {
        const leaked = ids(listed).filter((id) => foreign.some((f) => f.eventId === id));
        expectThat(leaked.length === 0, () => `bob's events [${leaked}] in alice's list`, 'none of bob\'s events');
      },
    },
    {
      name: 'each event carries what the camera sent and its thumbnail path',
      async run({ listed, sent, fixture }) {
        for (const event of sent) {
          const got = listed.find((e) => e.eventId === event.eventId);
          const cameraId = sent.indexOf(event) % 2 === 0 ? fixture.front.cameraId : fixture.yard.cameraId;
          const want = { eventId: event.eventId, cameraId, kind: event.kind, ts: event.ts, thumbnail: thumbnailPath(event.eventId) };
          const same = got && Object.entries(want).every(([key, value]) => got[key as keyof Event] === value);
          if (!same) throw new Mismatch(JSON.stringify(got), JSON.stringify(want));
        }
      },
    },
    {
      name: `pages of limit=${PAGE} walked with next cursors hold every event once, in order`,
      async run(state) {
        const walked: string[] = [];
        let since: string | undefined;
        for (let page = 0; page < 20; page += 1) {
          const answer = await eventPage(state.target, state.tokens.alice, since, PAGE);
          expectThat(answer.events.length <= PAGE, () => `a page of ${answer.events.length}`, `at most ${PAGE} events`);
          since = answer.next;
          if (answer.events.length === 0) break;
          walked.push(...ids(answer.events));
        }
        state.lastNext = since;
        const expected = ids(state.listed);
        expectThat(walked.join() === expected.join(), () => `[${walked}]`, `[${expected}] (no duplicates, no gaps)`);
      },
    },
    {
      name: 'the last next cursor yields only events accepted after it',
      async run(state) {
        const socket = await connectCamera(state.target, state.fixture.front);
        const later = newEvent(state.fixture, 'later');
        await sendEvent(socket, later);
        const page = await eventPage(state.target, state.tokens.alice, state.lastNext, 500);
        const seen = ids(page.events);
        expectThat(seen.join() === later.eventId, () => `[${seen}]`, `[${later.eventId}]`);
      },
    },
    {
      name: 'limit=500 is accepted',
      run: async ({ target, tokens }) => void (await eventPage(target, tokens.alice, undefined, 500)),
    },
    {
      name: 'limit=0 is refused with a 4xx',
      severity: 'warning',
      run: async ({ target, tokens }) => expectClientError(await target.http.call('GET', '/v1/events?limit=0', { token: tokens.alice, maxBytes: ANSWER_BOUNDS.eventPage })),
    },
    {
      name: 'limit=501 is refused with a 4xx',
      severity: 'warning',
      run: async ({ target, tokens }) => expectClientError(await target.http.call('GET', '/v1/events?limit=501', { token: tokens.alice, maxBytes: ANSWER_BOUNDS.eventPage })),
    },
  ],
};
