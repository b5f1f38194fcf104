/**
 * The access rule through a share and its revocation: a sharee sees what was accepted while shared, nothing
 * from before, and after the revoke none of the camera's history, thumbnails, live pushes or the camera
 * itself. Every check after an access change waits out the grace window first, so only one answer is right.
 */
import { revoke, share } from '../admin.ts';
import { expectStatus } from '../answers.ts';
import { expectNoEventOf, expectThumbnailsHidden, listedCameraIds } from '../access-checks.ts';
import { connectCamera, sendEvent, type CameraEvent } from '../camera.ts';
import type { Area } from '../expectation.ts';
import { expectThat, required } from '../expectation.ts';
import { awaitPush, drainPushes, LEAK_LISTEN_MS, openLiveStream } from '../push.ts';
import { newEvent, seededSession, type Session } from '../session.ts';
import type { ProtocolSocket } from '../socket.ts';
import { allEvents, cameras, ids, thumbnail } from '../user.ts';

interface SharingState extends Session {
  front: ProtocolSocket;
  /** On alice's `front`, accepted more than a grace window before it is shared with carol. */
  beforeShare: CameraEvent;
  whileShared?: CameraEvent;
  afterRevoke?: CameraEvent;
  carolStream?: ProtocolSocket;
  /** Why carol's stream could not be opened, reported by the step that needs it. */
  carolStreamFailure?: string;
}

export const sharing: Area<SharingState> = {
  name: 'access: share and revoke',
  async setup(target) {
    const session = await seededSession(target);
    const front = await connectCamera(target, session.fixture.front);
    const beforeShare = newEvent(session.fixture, 'before-share');
    await sendEvent(front, beforeShare);
    await target.settle();
    return { ...session, front, beforeShare };
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
        if (state.target.capabilities.has('stream')) {
          // Opened before the event so its push can be checked; a failure here belongs to the stream step.
          try {
            state.carolStream = await openLiveStream(state.target, state.tokens.carol, 'header', state.front, state.fixture);
          } catch (error) {
            state.carolStreamFailure = error instanceof Error ? error.message : String(error);
          }
        }
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
      async run(state) {
        if (state.carolStreamFailure !== undefined) throw new Error(`carol's stream: ${state.carolStreamFailure}`);
        await awaitPush(required(state.carolStream, 'carol\'s stream'), required(state.whileShared, 'the event'));
      },
    },
    {
      name: 'DELETE /v1/admin/cameras/{cameraId}/shares/{userId} answers 204',
      needs: ['shares'],
      prerequisite: true,
      async run(state) {
        await revoke(state.target, state.fixture.front.cameraId, state.fixture.carol.userId);
        await state.target.settle();
        // Pushes so far are of events from before the revoke; only what comes after this counts as a leak.
        state.carolStream?.drain();
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
        const aliceStream = await openLiveStream(state.target, state.tokens.alice, 'header', state.front, state.fixture);
        const marker = newEvent(state.fixture, 'revoked-push');
        await sendEvent(state.front, marker);
        await awaitPush(aliceStream, marker);
        await new Promise((resolve) => setTimeout(resolve, LEAK_LISTEN_MS));
        const leaked = drainPushes(carolStream).filter((e) => e.cameraId === state.fixture.front.cameraId);
        expectThat(leaked.length === 0, () => `carol was pushed [${ids(leaked)}]`, 'no push of the revoked camera');
      },
    },
  ],
};
