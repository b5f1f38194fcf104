/** `users.login`: a user's own secret opens a session; a wrong secret, another's, or an unknown login is refused. */
import type { Area } from '../../expectation.ts';
import type { Cast } from '../cast.ts';
import type { AdapterSubject, Hook } from '../subject.ts';
import { expectRefused } from './access.ts';

interface LoginState {
  subject: AdapterSubject;
  cast: Cast;
}

export const loginArea: Area<LoginState, AdapterSubject, Hook> = {
  name: 'login',
  setup: async (subject) => ({ subject, cast: await subject.world() }),
  steps: [
    {
      name: 'a user logs in with their secret',
      prerequisite: true,
      run: async ({ subject, cast }) => void (await subject.login(cast.alice)),
    },
    {
      name: 'a wrong secret is refused',
      run: ({ subject, cast }) => expectRefused('a wrong secret was', () => subject.login({ ...cast.alice, secret: `${cast.alice.secret}x` })),
    },
    {
      name: 'another user\'s secret is refused',
      run: ({ subject, cast }) => expectRefused('bob\'s secret for alice was', () => subject.login({ ...cast.alice, secret: cast.bob.secret })),
    },
    {
      name: 'an unknown login is refused',
      run: ({ subject, cast }) => expectRefused('an unknown login was', () => subject.login({ id: `${cast.tag}-nobody`, login: `nobody.${cast.tag}@conform.example`, secret: cast.alice.secret })),
    },
  ],
};
