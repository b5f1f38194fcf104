/**
 * The access rule through a transfer: the new owner sees only events accepted after it, and the old owner
 * loses the camera, its history and its thumbnails. Checks wait out the grace window after the transfer.
 */
import { transfer } from '../admin.ts';
import { expectStatus } from '../answers.ts';
import { expectNoEventOf, expectThumbnailsHidden, listedCameraIds } from '../access-checks.ts';
import { connectCamera, sendEvent, type CameraEvent } from '../camera.ts';
import type { Area } from '../expectation.ts';
import { expectThat, required } from '../expectation.ts';
import { newEvent, seededSession, type Session } from '../session.ts';
import { allEvents, cameras, ids, thumbnail } from '../user.ts';

interface TransferState extends Session {
  /** On alice's `yard`, accepted more than a grace window before it is transferred to bob. */
  beforeTransfer: CameraEvent;
  afterTransfer?: CameraEvent;
}

export const transferArea: Area<TransferState> = {
  name: 'access: transfer',
  async setup(target) {
    const session = await seededSession(target);
    const yard = await connectCamera(target, session.fixture.yard);
    const beforeTransfer = newEvent(session.fixture, 'before-transfer');
    await sendEvent(yard, beforeTransfer);
    await target.settle();
    return { ...session, beforeTransfer };
  },
  steps: [
    {
      name: 'PUT /v1/admin/cameras/{cameraId}/owner answers 204',
      needs: ['transfer'],
      prerequisite: true,
      async run(state) {
        await transfer(state.target, state.fixture.yard.cameraId, state.fixture.bob.userId);
        await state.target.settle();
        // A target may drop the device on a transfer; a fresh connection sends the post-transfer event.
        const yard = await connectCamera(state.target, state.fixture.yard);
        state.afterTransfer = newEvent(state.fixture, 'after-transfer');
        await sendEvent(yard, state.afterTransfer);
      },
    },
    {
      name: 'after a transfer the new owner lists the camera with role "owner"',
      needs: ['transfer'],
      async run(state) {
        const list = await cameras(state.target, state.tokens.bob);
        const yard = list.find((c) => c.cameraId === state.fixture.yard.cameraId);
        expectThat(yard?.role === 'owner', () => `bob lists ${JSON.stringify(list)}`, `${state.fixture.yard.cameraId} with role "owner"`);
      },
    },
    {
      name: 'the new owner sees only events accepted after the transfer',
      needs: ['transfer'],
      async run(state) {
        const seen = ids((await allEvents(state.target, state.tokens.bob)).filter((e) => e.cameraId === state.fixture.yard.cameraId));
        const expected = [required(state.afterTransfer, 'the post-transfer event').eventId];
        expectThat(seen.join() === expected.join(), () => `bob sees [${seen}]`, `[${expected}]`);
      },
    },
    {
      name: 'the new owner gets 404 for thumbnails from before the transfer',
      needs: ['transfer', 'thumbnails'],
      run: (state) => expectThumbnailsHidden(state, state.tokens.bob, [state.beforeTransfer]),
    },
    {
      name: 'the new owner gets the thumbnail of an event accepted after the transfer',
      needs: ['transfer', 'thumbnails'],
      async run(state) {
        const event = required(state.afterTransfer, 'the post-transfer event');
        const answer = await thumbnail(state.target, state.tokens.bob, event.eventId);
        expectStatus(answer, 200);
        expectThat(answer.bytes.equals(event.thumbnail), () => `${answer.bytes.length} other bytes`, 'the uploaded bytes');
      },
    },
    {
      name: 'after a transfer the old owner no longer lists the camera',
      needs: ['transfer'],
      async run(state) {
        const seen = await listedCameraIds(state, state.tokens.alice);
        expectThat(!seen.includes(state.fixture.yard.cameraId), () => `alice lists [${seen}]`, `no ${state.fixture.yard.cameraId}`);
      },
    },
    {
      name: 'after a transfer the old owner sees none of the camera\'s events (history included)',
      needs: ['transfer'],
      run: (state) => expectNoEventOf(state, state.tokens.alice, 'alice', state.fixture.yard.cameraId),
    },
    {
      name: 'after a transfer the old owner gets 404 for the camera\'s thumbnails',
      needs: ['transfer', 'thumbnails'],
      run: (state) => expectThumbnailsHidden(state, state.tokens.alice, [state.beforeTransfer, state.afterTransfer]),
    },
  ],
};
