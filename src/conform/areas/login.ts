/** `POST /v1/login`: a token and the user's id for good credentials, 401 with an error body otherwise. */
import { expectClientError, expectError } from '../answers.ts';
import type { Area } from '../expectation.ts';
import { seededWorld, type Seeded } from '../session.ts';
import { login } from '../user.ts';

export const loginArea: Area<Seeded> = {
  name: 'login',
  setup: seededWorld,
  steps: [
    {
      name: 'good credentials: 200 {"token","userId"} with the user\'s id',
      run: async ({ target, fixture }) => void (await login(target, fixture.alice)),
    },
    {
      name: 'a wrong password: 401 with an error body',
      async run({ target, fixture }) {
        const body = { email: fixture.alice.email, password: `${fixture.alice.password}x` };
        expectError(await target.http.call('POST', '/v1/login', { json: body }), 401);
      },
    },
    {
      name: 'another user\'s password: 401 with an error body',
      async run({ target, fixture }) {
        const body = { email: fixture.alice.email, password: fixture.bob.password };
        expectError(await target.http.call('POST', '/v1/login', { json: body }), 401);
      },
    },
    {
      name: 'an unknown email: 401 with an error body',
      async run({ target, fixture }) {
        const body = { email: `nobody.${fixture.tag}@conform.example`, password: fixture.alice.password };
        expectError(await target.http.call('POST', '/v1/login', { json: body }), 401);
      },
    },
    {
      name: 'a body that is not JSON: a 4xx refusal',
      async run({ target }) {
        expectClientError(await target.http.call('POST', '/v1/login', { rawBody: '{"email": ' }));
      },
    },
  ],
};
