/**
 * `world.transfer`: once alice's `front` goes to bob, bob lists it as its owner and alice no longer lists it, sees
 * none of its events (history included) or thumbnails; then it goes back to alice, so a world that already existed
 * is left as it was. Every check after a change waits out the grace window first.
 */
import type { DeviceEvent } from '../../../adapter/types.ts';
import type { Area } from '../../expectation.ts';
import { expectThat, required } from '../../expectation.ts';
import type { Camera } from '../links.ts';
import { sceneOf, sendNew, type Scene } from '../scene.ts';
import type { AdapterSubject, Hook } from '../subject.ts';
import { eventsOf, expectCamerasOf, expectNoneOf, expectRefusalStatus } from './access.ts';

interface TransferState extends Scene {
  front: Camera;
  before: DeviceEvent;
  after?: DeviceEvent;
}

async function transfer(state: TransferState, to: 'alice' | 'bob'): Promise<void> {
  const { subject, cast } = state;
  await subject.transfer(cast.front.id, cast[to].id);
  const camera = cast.access.get(cast.front.id)!;
  camera.owner = cast[to].id;
  camera.shares.delete(cast[to].id);
  await subject.settle();
}

export const transferArea: Area<TransferState, AdapterSubject, Hook> = {
  name: 'transfer',
  async setup(subject) {
    const scene = await sceneOf(subject);
    const front = await subject.connect(scene.cast.front);
    return { ...scene, front, before: await sendNew(scene, front, 'before-transfer') };
  },
  steps: [
    {
      name: 'after world.transfer the new owner lists the camera as owner, the old owner not at all',
      needs: ['world.transfer'],
      prerequisite: true,
      async run(state) {
        await transfer(state, 'bob');
        await expectCamerasOf(state, 'bob');
        await expectCamerasOf(state, 'alice');
      },
    },
    {
      name: 'after a transfer the new owner sees the camera\'s new events',
      needs: ['world.transfer'],
      async run(state) {
        const event = (state.after = await sendNew(state, state.front, 'after-transfer'));
        const seen = (await eventsOf(state, 'bob')).some((item) => item.eventId === event.eventId);
        expectThat(seen, () => `bob's list lacks ${event.eventId}`, `${event.eventId} of ${event.cameraId} listed`);
      },
    },
    {
      name: 'after a transfer the old owner sees none of the camera\'s events, history included',
      needs: ['world.transfer'],
      run: async (state) => expectNoneOf('alice was shown', await eventsOf(state, 'alice'), state.cast.front.id),
    },
    {
      name: 'after a transfer the old owner is refused the camera\'s thumbnails',
      needs: ['world.transfer'],
      async run(state) {
        for (const event of [state.before, required(state.after, 'the event sent after the transfer')]) {
          const answer = await state.subject.ask('users.thumbnail', state.sessions.alice, event);
          expectRefusalStatus(`alice's users.thumbnail of ${event.eventId}`, answer.status, answer.bytes);
        }
      },
    },
    {
      name: 'transferred back, the first owner lists the camera as owner again',
      needs: ['world.transfer'],
      async run(state) {
        await transfer(state, 'alice');
        await expectCamerasOf(state, 'alice');
      },
    },
  ],
};
