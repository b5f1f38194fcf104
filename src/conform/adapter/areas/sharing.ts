/**
 * `world.share` and `world.revoke`, checked together so a world that already existed is left as it was: once bob
 * shares `garage` with alice she lists it as shared and sees what it sends; once he revokes, she lists it no more,
 * sees none of its events (history included) or thumbnails, and her channel delivers none of its new events. Every
 * check after a change waits out the grace window first, so only one answer is right.
 */
import type { DeviceEvent } from '../../../adapter/types.ts';
import type { Area } from '../../expectation.ts';
import { expectThat, required } from '../../expectation.ts';
import type { Camera, PushLog } from '../links.ts';
import { livePush, sceneOf, sendNew, type Scene } from '../scene.ts';
import type { AdapterSubject, Hook } from '../subject.ts';
import { eventsOf, expectCamerasOf, expectNoneOf, expectRefusalStatus } from './access.ts';

interface SharingState extends Scene {
  garage: Camera;
  whileShared?: DeviceEvent;
  afterRevoke?: DeviceEvent;
  alicePush?: PushLog;
  /** How many items alice's channel had delivered when the revoke's grace window ended: only later ones can leak. */
  pushedBeforeRevoke: number;
}

const BOTH: ('world.share' | 'world.revoke')[] = ['world.share', 'world.revoke'];

export const sharingArea: Area<SharingState, AdapterSubject, Hook> = {
  name: 'share and revoke',
  async setup(subject) {
    const scene = await sceneOf(subject);
    return { ...scene, garage: await subject.connect(scene.cast.garage), pushedBeforeRevoke: 0 };
  },
  steps: [
    {
      name: 'after world.share the recipient lists the camera as shared',
      needs: BOTH,
      prerequisite: true,
      async run(state) {
        const { subject, cast } = state;
        await subject.share(cast.garage.id, cast.alice.id);
        cast.access.get(cast.garage.id)!.shares.add(cast.alice.id);
        await subject.settle();
        await expectCamerasOf(state, 'alice');
      },
    },
    {
      name: 'the recipient sees events sent while shared, with their very bytes',
      needs: BOTH,
      async run(state) {
        const event = (state.whileShared = await sendNew(state, state.garage, 'shared'));
        const seen = (await eventsOf(state, 'alice')).some((item) => item.eventId === event.eventId && item.cameraId === event.cameraId);
        expectThat(seen, () => `alice's list lacks ${event.eventId}`, `${event.eventId} of ${event.cameraId} listed`);
        const answer = await state.subject.ask('users.thumbnail', state.sessions.alice, event);
        expectThat(answer.status === 200 && answer.bytes?.length === event.thumbnail.length, () => `status ${answer.status}, ${answer.bytes?.length ?? 0} bytes`, 'status 200 with the bytes sent');
      },
    },
    {
      name: 'after world.revoke the recipient no longer lists the camera',
      needs: BOTH,
      prerequisite: true,
      async run(state) {
        const { subject, cast } = state;
        if (subject.has('users.push')) state.alicePush = await livePush(state, state.sessions.alice, state.garage);
        await subject.revoke(cast.garage.id, cast.alice.id);
        cast.access.get(cast.garage.id)!.shares.delete(cast.alice.id);
        await subject.settle();
        state.pushedBeforeRevoke = state.alicePush?.items.length ?? 0;
        await expectCamerasOf(state, 'alice');
      },
    },
    {
      name: 'after revoke the recipient sees none of the camera\'s events, history included',
      needs: BOTH,
      async run(state) {
        state.afterRevoke = await sendNew(state, state.garage, 'revoked');
        expectNoneOf('alice was shown', await eventsOf(state, 'alice'), state.cast.garage.id);
      },
    },
    {
      name: 'after revoke the recipient is refused the camera\'s thumbnails',
      needs: BOTH,
      async run(state) {
        for (const event of [required(state.whileShared, 'the event sent while shared'), required(state.afterRevoke, 'the event sent after the revoke')]) {
          const answer = await state.subject.ask('users.thumbnail', state.sessions.alice, event);
          expectRefusalStatus(`alice's users.thumbnail of ${event.eventId}`, answer.status, answer.bytes);
        }
      },
    },
    {
      name: 'after revoke the recipient\'s open channel delivers none of the camera\'s new events',
      needs: [...BOTH, 'users.push'],
      async run(state) {
        const log = required(state.alicePush, 'alice\'s channel');
        // Bob's own channel delivering a later event bounds how long a wrong push to alice can take.
        const bobPush = await livePush(state, state.sessions.bob, state.garage);
        const marker = await sendNew(state, state.garage, 'revoked-marker');
        await bobPush.waitFor(marker.eventId, state.subject.timeoutMs);
        state.subject.checkPushed(log);
        expectNoneOf('alice\'s channel delivered', log.items.slice(state.pushedBeforeRevoke), state.cast.garage.id);
      },
    },
  ],
};
