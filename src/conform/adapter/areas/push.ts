/**
 * `users.push`: a user's channel delivers their camera's new events, under the camera that sent them, and never an
 * event of a camera they cannot see. The foreign event is sent first and an own marker after it; once the marker is
 * delivered, a short listen more gives a wrongly routed foreign push its chance to show.
 */
import type { Area } from '../../expectation.ts';
import { expectThat } from '../../expectation.ts';
import { LEAK_LISTEN_MS } from '../../push.ts';
import type { Camera, PushLog } from '../links.ts';
import { listed, livePush, sceneOf, sendNew, type Scene } from '../scene.ts';
import type { AdapterSubject, Hook } from '../subject.ts';
import { expectNoneOf } from './access.ts';

interface PushState extends Scene {
  front: Camera;
  garage: Camera;
  alicePush?: PushLog;
  bobPush?: PushLog;
}

/** Sends `foreign` from `theirs`, then a marker from `own`, and checks `log` got the marker and nothing of `theirs`. */
async function expectOnlyOwn(state: PushState, who: 'alice' | 'bob', log: PushLog, own: Camera, theirs: Camera): Promise<void> {
  const foreign = await sendNew(state, theirs, 'foreign');
  const marker = await sendNew(state, own, 'marker');
  const delivered = await log.waitFor(marker.eventId, state.subject.timeoutMs);
  state.subject.checkPushed(log);
  expectThat(delivered !== undefined, () => `no push of ${marker.eventId}${log.closeReason ? ` (closed: ${log.closeReason})` : ''}`, `${who}'s new event delivered`);
  await new Promise((resolve) => setTimeout(resolve, LEAK_LISTEN_MS));
  state.subject.checkPushed(log);
  expectNoneOf(`${who}'s channel delivered`, log.items, theirs.id, [foreign.eventId]);
}

export const pushArea: Area<PushState, AdapterSubject, Hook> = {
  name: 'push',
  async setup(subject) {
    const scene = await sceneOf(subject);
    return { ...scene, front: await subject.connect(scene.cast.front), garage: await subject.connect(scene.cast.garage) };
  },
  steps: [
    {
      name: 'a user\'s channel delivers their camera\'s new event, under that camera',
      needs: ['users.push'],
      prerequisite: true,
      async run(state) {
        state.alicePush = await livePush(state, state.sessions.alice, state.front);
        state.bobPush = await livePush(state, state.sessions.bob, state.garage);
        const event = await sendNew(state, state.front, 'push');
        const delivered = await state.alicePush.waitFor(event.eventId, state.subject.timeoutMs);
        state.subject.checkPushed(state.alicePush);
        expectThat(delivered?.cameraId === state.front.id, () => (delivered ? listed([delivered]) : `no push of ${event.eventId}`), `${event.eventId} of ${state.front.id}`);
      },
    },
    {
      name: 'alice\'s channel delivers no event of a camera she cannot see',
      needs: ['users.push'],
      run: (state) => expectOnlyOwn(state, 'alice', state.alicePush!, state.front, state.garage),
    },
    {
      name: 'bob\'s channel delivers no event of a camera he cannot see',
      needs: ['users.push'],
      run: (state) => expectOnlyOwn(state, 'bob', state.bobPush!, state.garage, state.front),
    },
  ],
};
