/**
 * The access rule through share, revoke and transfer: a user sees an event only if they had access to its
 * camera both when it was accepted and now. Every check after an access change waits out the grace window
 * first, so only one answer is right.
 */
import { revoke, share, transfer } from '../admin.ts';
import { expectError, expectStatus } from '../answers.ts';
import { connectCamera, sendEvent, type CameraEvent } from '../camera.ts';
import type { Area } from '../expectation.ts';
import { expectThat, required } from '../expectation.ts';
import { newEvent, seededSession, type Session } from '../session.ts';
import type { ProtocolSocket } from '../socket.ts';
import { allEvents, cameras, ids, thumbnail } from '../user.ts';
import { awaitPush, drainPushes, openStream } from './stream.ts';

interface AccessState extends Session {
  front: ProtocolSocket;
  yard: ProtocolSocket;
  /** On alice's `front`, accepted well before it is shared with carol. */
  beforeShare: CameraEvent;
  whileShared?: CameraEvent;
  afterRevoke?: CameraEvent;
  carolStream?: ProtocolSocket;
  /** On alice's `yard`, accepted well before it is transferred to bob. */
  beforeTransfer: CameraEvent;
  afterTransfer?: CameraEvent;
}

/** Only events LEAK_LISTEN_MS after a marker push count as not pushed; see stream.ts. */
const LEAK_LISTEN_MS = 300;

async function listedCameraIds(state: AccessState, token: string): Promise<string[]> {
  return (await cameras(state.target, token)).map((camera) => camera.cameraId);
}

async function expectNoEventOf(state: AccessState, token: string, who: string, cameraId: string): Promise<void> {
  const seen = (await allEvents(state.target, token)).filter((e) => e.cameraId === cameraId);
  expectThat(seen.length === 0, () => `${who} sees [${ids(seen)}]`, `none of ${cameraId}'s events`);
}

async function expectThumbnailsHidden(state: AccessState, token: string, events: (CameraEvent | undefined)[]): Promise<void> {
  for (const event of events) expectError(await thumbnail(state.target, token, required(event, 'an event').eventId), 404);
}

export const access: Area<AccessState> = {
  name: 'access',
  async setup(target) {
    const session = await seededSession(target);
    const front = await connectCamera(target, session.fixture.front);
    const yard = await connectCamera(target, session.fixture.yard);
    const beforeShare = newEvent(session.fixture, 'before-share');
    await sendEvent(front, beforeShare);
    const beforeTransfer = newEvent(session.fixture, 'before-transfer');
    await sendEvent(yard, beforeTransfer);
    // Accepted more than a grace window before the share and the transfer, so they are plainly "before".
    await target.settle();
    return { ...session, front, yard, beforeShare, beforeTransfer };
  },
  steps: [
    {
      name: 'PUT /v1/admin/cameras/{cameraId}/shares/{userId} answers 204',
      needs: ['shares'],
      prerequisite: true,
      async run(state) {
        await share(state.target, state.fixture.front.cameraId, state.fixture.carol.userId);
        await state.target.settle();
      },
    },
    {
      name: 'a sharee lists the shared camera with role "shared"',
      needs: ['shares'],
      async run(state) {
        const list = await cameras(state.target, state.tokens.carol);
        const seen = list.map((c) => `${c.cameraId}:${c.role}`).join();
        expectThat(seen === `${state.fixture.front.cameraId}:shared`, () => `carol lists [${seen}]`, `[${state.fixture.front.cameraId}:shared]`);
      },
    },
    {
      name: 'a sharee sees events accepted while shared',
      needs: ['shares'],
      async run(state) {
        if (state.target.capabilities.has('stream')) state.carolStream = await openStream(state.target, state.tokens.carol, 'header');
        state.whileShared = newEvent(state.fixture, 'while-shared');
        await sendEvent(state.front, state.whileShared);
        const seen = ids(await allEvents(state.target, state.tokens.carol));
        expectThat(seen.includes(state.whileShared.eventId), () => `carol sees [${seen}]`, `${state.whileShared.eventId} listed`);
      },
    },
    {
      name: 'a sharee does not see events accepted before the share',
      needs: ['shares'],
      async run(state) {
        const seen = ids(await allEvents(state.target, state.tokens.carol));
        expectThat(!seen.includes(state.beforeShare.eventId), () => `carol sees [${seen}]`, `${state.beforeShare.eventId} not listed`);
      },
    },
    {
      name: 'a sharee gets the thumbnail of an event accepted while shared',
      needs: ['shares', 'thumbnails'],
      async run(state) {
        const event = required(state.whileShared, 'the event accepted while shared');
        const answer = await thumbnail(state.target, state.tokens.carol, event.eventId);
        expectStatus(answer, 200);
        expectThat(answer.bytes.equals(event.thumbnail), () => `${answer.bytes.length} other bytes`, 'the uploaded bytes');
      },
    },
    {
      name: 'a sharee\'s stream pushes events accepted while shared',
      needs: ['shares', 'stream'],
      run: async (state) => void (await awaitPush(required(state.carolStream, 'carol\'s stream'), required(state.whileShared, 'the event'))),
    },
    {
      name: 'DELETE /v1/admin/cameras/{cameraId}/shares/{userId} answers 204',
      needs: ['shares'],
      prerequisite: true,
      async run(state) {
        await revoke(state.target, state.fixture.front.cameraId, state.fixture.carol.userId);
        await state.target.settle();
        state.afterRevoke = newEvent(state.fixture, 'after-revoke');
        await sendEvent(state.front, state.afterRevoke);
      },
    },
    {
      name: 'after revoke the sharee no longer lists the camera',
      needs: ['shares'],
      async run(state) {
        const seen = await listedCameraIds(state, state.tokens.carol);
        expectThat(seen.length === 0, () => `carol lists [${seen}]`, 'carol lists no camera');
      },
    },
    {
      name: 'after revoke the sharee sees none of the camera\'s events (history included)',
      needs: ['shares'],
      run: (state) => expectNoEventOf(state, state.tokens.carol, 'carol', state.fixture.front.cameraId),
    },
    {
      name: 'after revoke the sharee gets 404 for the camera\'s thumbnails',
      needs: ['shares', 'thumbnails'],
      run: (state) => expectThumbnailsHidden(state, state.tokens.carol, [state.beforeShare, state.whileShared, state.afterRevoke]),
    },
    {
      name: 'after revoke the sharee\'s open stream pushes none of the camera\'s new events',
      needs: ['shares', 'stream'],
      async run(state) {
        const carolStream = required(state.carolStream, 'carol\'s stream');
        const aliceStream = await openStream(state.target, state.tokens.alice, 'header');
        const marker = newEvent(state.fixture, 'revoked-push');
        await sendEvent(state.front, marker);
        await awaitPush(aliceStream, marker);
        await new Promise((resolve) => setTimeout(resolve, LEAK_LISTEN_MS));
        const leaked = drainPushes(carolStream).filter((e) => e.cameraId === state.fixture.front.cameraId);
        expectThat(leaked.length === 0, () => `carol was pushed [${ids(leaked)}]`, 'no push of the revoked camera');
      },
    },
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
