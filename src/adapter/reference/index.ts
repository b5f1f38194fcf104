/**
 * PROVISIONAL (RUN helper): the built-in `reference` adapter's user and device hooks are the DRIVERS helper's
 * (src/adapter/reference/index.ts on its branch); take that file at merge. Until then the fleet still speaks
 * PROTOCOL.md through today's drivers (src/run/fleet/in-process.ts), which never call these hooks; only the world
 * control below is real, and the run uses it.
 */
import { defineAdapter } from '../define.ts';
import { referenceWorld } from './world.ts';

const notYet = (hook: string) => async (): Promise<never> => {
  throw new Error(`reference adapter: ${hook} comes with the drivers' change (src/adapter/reference on the DRIVERS branch)`);
};

export default defineAdapter({
  name: 'reference',
  endpoints: ['target'],
  users: { login: notYet('users.login'), events: notYet('users.events'), cameras: notYet('users.cameras'), thumbnail: notYet('users.thumbnail') },
  devices: { connect: notYet('devices.connect') },
  world: referenceWorld,
});
