/** Every admin call refuses a missing or wrong admin token with 401, and a refused call changes nothing. */
import { randomBytes } from 'node:crypto';
import { expectError } from '../answers.ts';
import type { Area, Capability, Step } from '../expectation.ts';
import { expectThat } from '../expectation.ts';
import { seedWorld } from '../admin.ts';
import { makeFixture } from '../fixture.ts';
import type { Seeded } from '../session.ts';
import { cameras, login } from '../user.ts';

interface AdminCall {
  method: string;
  /** The route as docs/protocol.md writes it, for the expectation's name. */
  route: string;
  path: (session: Seeded) => string;
  body?: (session: Seeded) => unknown;
  needs?: Capability[];
}

const CALLS: AdminCall[] = [
  // An empty world: if the target ignored auth here, the check after the calls sees everyone gone.
  { method: 'PUT', route: '/v1/admin/world', path: () => '/v1/admin/world', body: () => ({ users: [], cameras: [], shares: [] }) },
  {
    method: 'PUT',
    route: '/v1/admin/cameras/{cameraId}/owner',
    path: (s) => `/v1/admin/cameras/${s.fixture.front.cameraId}/owner`,
    body: (s) => ({ ownerId: s.fixture.bob.userId }),
    needs: ['transfer'],
  },
  {
    method: 'PUT',
    route: '/v1/admin/cameras/{cameraId}/shares/{userId}',
    path: (s) => `/v1/admin/cameras/${s.fixture.front.cameraId}/shares/${s.fixture.carol.userId}`,
    needs: ['shares'],
  },
  {
    method: 'DELETE',
    route: '/v1/admin/cameras/{cameraId}/shares/{userId}',
    path: (s) => `/v1/admin/cameras/${s.fixture.garage.cameraId}/shares/${s.fixture.carol.userId}`,
    needs: ['shares'],
  },
];

function refusalSteps(call: AdminCall): Step<Seeded>[] {
  const attempt = (token: string | undefined) => async (session: Seeded) => {
    const answer = await session.target.http.call(call.method, call.path(session), {
      ...(token === undefined ? {} : { token }),
      ...(call.body ? { json: call.body(session) } : {}),
    });
    expectError(answer, 401);
  };
  const name = (what: string) => `${call.method} ${call.route}: 401 ${what}`;
  return [
    { name: name('without a token'), needs: call.needs, run: attempt(undefined) },
    { name: name('with a wrong token'), needs: call.needs, run: attempt(`wrong-${randomBytes(8).toString('hex')}`) },
  ];
}

export const adminAuth: Area<Seeded> = {
  name: 'admin auth',
  // garage is shared with carol, so a refused DELETE that went through anyway would show.
  async setup(target) {
    const fixture = makeFixture();
    const shares = target.capabilities.has('shares') ? [{ cameraId: fixture.garage.cameraId, userId: fixture.carol.userId }] : [];
    await seedWorld(target, { ...fixture.seed, shares });
    return { target, fixture };
  },
  steps: [
    ...CALLS.flatMap(refusalSteps),
    {
      name: 'refused admin calls change nothing (world, owner and shares as seeded)',
      async run({ target, fixture }) {
        const token = await login(target, fixture.alice);
        const listed = (await cameras(target, token)).map((camera) => camera.cameraId).sort();
        const expected = [fixture.front.cameraId, fixture.yard.cameraId].sort();
        expectThat(listed.join() === expected.join(), () => `alice lists [${listed}]`, `alice lists [${expected}]`);
        const carolSees = (await cameras(target, await login(target, fixture.carol))).map((c) => c.cameraId);
        const allowed = target.capabilities.has('shares') ? [fixture.garage.cameraId] : [];
        expectThat(carolSees.join() === allowed.join(), () => `carol lists [${carolSees}]`, `carol lists [${allowed}]`);
      },
    },
  ],
};
