/** `PUT /v1/admin/world` replaces all state: users, cameras, shares and every event with its thumbnail. */
import { seedWorld, share } from '../admin.ts';
import { expectError } from '../answers.ts';
import { connectCamera, sendEvent, sendHello, type CameraEvent } from '../camera.ts';
import type { Area } from '../expectation.ts';
import { expectThat, required } from '../expectation.ts';
import { makeFixture, type Fixture, type FixtureUser } from '../fixture.ts';
import { newEvent } from '../session.ts';
import type { Target } from '../target.ts';
import { allEvents, cameras, ids, login, thumbnail } from '../user.ts';

interface SeedingState {
  target: Target;
  fixture: Fixture;
  /** Only in the second world. */
  dave: FixtureUser;
  event?: CameraEvent;
}

async function loginAnswer(target: Target, user: FixtureUser) {
  return target.http.call('POST', '/v1/login', { json: { email: user.email, password: user.password } });
}

export const seeding: Area<SeedingState> = {
  name: 'seeding',
  async setup(target) {
    const fixture = makeFixture();
    const dave = { userId: `${fixture.tag}-dave`, email: `dave.${fixture.tag}@conform.example`, password: 'dave-pw-1' };
    return { target, fixture, dave };
  },
  steps: [
    {
      name: 'PUT /v1/admin/world answers 204',
      prerequisite: true,
      run: ({ target, fixture }) => seedWorld(target, fixture.seed),
    },
    {
      name: 'every seeded user logs in',
      prerequisite: true,
      async run({ target, fixture }) {
        for (const user of [fixture.alice, fixture.bob, fixture.carol]) await login(target, user);
      },
    },
    {
      name: 'a seeded camera is welcomed and its event acked',
      prerequisite: true,
      async run(state) {
        const socket = await connectCamera(state.target, state.fixture.front);
        state.event = newEvent(state.fixture, 'seeded');
        await sendEvent(socket, state.event);
        socket.close();
      },
    },
    {
      name: 'a share made before the reseed answers 204',
      needs: ['shares'],
      run: ({ target, fixture }) => share(target, fixture.front.cameraId, fixture.bob.userId),
    },
    {
      name: 'a second PUT /v1/admin/world answers 204',
      prerequisite: true,
      async run({ target, fixture, dave }) {
        // Same ids for alice, bob, front and garage; carol and yard left out; dave new.
        await seedWorld(target, {
          users: [fixture.alice, fixture.bob, dave],
          cameras: [fixture.front, fixture.garage],
          shares: [],
        });
      },
    },
    {
      name: 'a reseed drops every event: the owner lists none',
      async run({ target, fixture }) {
        const listed = ids(await allEvents(target, await login(target, fixture.alice)));
        expectThat(listed.length === 0, () => `alice lists [${listed}]`, 'no events after the reseed');
      },
    },
    {
      name: 'a reseed drops thumbnails: the old event\'s thumbnail is 404',
      needs: ['thumbnails'],
      async run({ target, fixture, event }) {
        expectError(await thumbnail(target, await login(target, fixture.alice), required(event, 'the seeded event').eventId), 404);
      },
    },
    {
      name: 'a reseed drops users: one left out gets 401 on login',
      async run({ target, fixture }) {
        expectError(await loginAnswer(target, fixture.carol), 401);
      },
    },
    {
      name: 'a reseed adds users: one only in the new world logs in',
      run: async ({ target, dave }) => void (await login(target, dave)),
    },
    {
      name: 'a reseed drops shares',
      needs: ['shares'],
      async run({ target, fixture }) {
        const listed = (await cameras(target, await login(target, fixture.bob))).map((c) => c.cameraId);
        expectThat(listed.join() === fixture.garage.cameraId, () => `bob lists [${listed}]`, `bob lists [${fixture.garage.cameraId}]`);
      },
    },
    {
      name: 'a reseed drops cameras: a hello from one left out is closed with 4401',
      async run({ target, fixture }) {
        const socket = await sendHello(target, fixture.yard);
        const { code } = await socket.closed();
        expectThat(code === 4401, () => `close code ${code}`, 'close code 4401');
      },
    },
  ],
};
