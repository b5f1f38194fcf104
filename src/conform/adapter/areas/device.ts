/** `devices.connect` and a send: a camera's own secret connects and its events are acknowledged; others are refused. */
import type { Area } from '../../expectation.ts';
import { required } from '../../expectation.ts';
import type { Cast } from '../cast.ts';
import type { Camera } from '../links.ts';
import { newEvent } from '../scene.ts';
import type { AdapterSubject, Hook } from '../subject.ts';
import { expectRefused } from './access.ts';

interface DeviceState {
  subject: AdapterSubject;
  cast: Cast;
  front?: Camera;
}

export const deviceArea: Area<DeviceState, AdapterSubject, Hook> = {
  name: 'device',
  setup: async (subject) => ({ subject, cast: await subject.world() }),
  steps: [
    {
      name: 'a camera connects with its secret',
      prerequisite: true,
      run: async (state) => void (state.front = await state.subject.connect(state.cast.front)),
    },
    {
      name: 'a camera\'s event is acknowledged',
      run: async ({ subject, cast, front }) => subject.send(required(front, 'the connected camera'), newEvent(cast, cast.front.id, 'ack')),
    },
    {
      name: 'a wrong device secret is refused',
      run: ({ subject, cast }) => expectRefused('a wrong secret was', () => subject.connect({ ...cast.garage, secret: `${cast.garage.secret}x` })),
    },
    {
      name: 'another camera\'s secret is refused',
      run: ({ subject, cast }) => expectRefused('front\'s secret for garage was', () => subject.connect({ ...cast.garage, secret: cast.front.secret })),
    },
  ],
};
