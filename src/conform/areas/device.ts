/** `/v1/device`: hello and welcome, refusals by close code, acks, idempotent retries, the thumbnail limit. */
import { MAX_THUMBNAIL_BYTES } from '../../protocol/schema.ts';
import { connectCamera, sendEvent, sendHello, type CameraEvent } from '../camera.ts';
import type { Area } from '../expectation.ts';
import { expectThat, required } from '../expectation.ts';
import { randomThumbnail } from '../fixture.ts';
import { newEvent, seededSession, type Session } from '../session.ts';
import type { ProtocolSocket } from '../socket.ts';
import { allEvents, ids } from '../user.ts';

interface DeviceState extends Session {
  device?: ProtocolSocket;
  event?: CameraEvent;
}

async function expectHelloRefused(state: DeviceState, camera: { cameraId: string; secret: string }): Promise<void> {
  const socket = await sendHello(state.target, camera);
  const { code } = await socket.closed();
  expectThat(code === 4401, () => `close code ${code}`, 'close code 4401');
}

/** How long to listen for an ack the target should not send; a refusal needs no ack to be judged. */
const REFUSAL_QUIET_MS = 1_000;

export const device: Area<DeviceState> = {
  name: 'device',
  setup: seededSession,
  steps: [
    {
      name: 'a hello with the right secret gets {"type":"welcome","cameraId"}',
      prerequisite: true,
      async run(state) {
        state.device = await connectCamera(state.target, state.fixture.front);
      },
    },
    {
      name: 'a hello with a wrong secret is closed with 4401',
      run: (state) => expectHelloRefused(state, { cameraId: state.fixture.yard.cameraId, secret: `${state.fixture.yard.secret}x` }),
    },
    {
      name: 'a hello with another camera\'s secret is closed with 4401',
      run: (state) => expectHelloRefused(state, { cameraId: state.fixture.yard.cameraId, secret: state.fixture.garage.secret }),
    },
    {
      name: 'a hello for an unknown camera is closed with 4401',
      run: (state) => expectHelloRefused(state, { cameraId: `${state.fixture.tag}-nosuch`, secret: 'whatever' }),
    },
    {
      name: 'an event is answered with {"type":"ack","eventId"}',
      prerequisite: true,
      async run(state) {
        state.event = newEvent(state.fixture, 'device');
        await sendEvent(state.device as ProtocolSocket, state.event);
      },
    },
    {
      name: 'a repeated eventId is acked again',
      run: (state) => sendEvent(state.device as ProtocolSocket, state.event as CameraEvent),
    },
    {
      name: 'a repeated eventId is stored once',
      async run({ target, tokens, event }) {
        const listed = ids(await allEvents(target, tokens.alice));
        const eventId = required(event, 'the acked event').eventId;
        const copies = listed.filter((id) => id === eventId).length;
        expectThat(copies === 1, () => `${copies} copies in alice's list`, 'exactly one copy');
      },
    },
    {
      name: 'a newer hello for the same camera closes the older connection with 4409',
      prerequisite: true,
      async run(state) {
        const older = state.device as ProtocolSocket;
        state.device = await connectCamera(state.target, state.fixture.front);
        const { code } = await older.closed();
        expectThat(code === 4409, () => `older connection closed with ${code}`, 'close code 4409');
      },
    },
    {
      name: 'the newer connection keeps working: its event is acked',
      run: (state) => sendEvent(state.device as ProtocolSocket, newEvent(state.fixture, 'newer')),
    },
    {
      name: `a thumbnail over ${MAX_THUMBNAIL_BYTES / 1024} KiB is refused (not acked, not stored)`,
      severity: 'warning',
      async run(state) {
        const socket = await connectCamera(state.target, state.fixture.yard);
        const oversized = { ...newEvent(state.fixture, 'oversized'), thumbnail: randomThumbnail(MAX_THUMBNAIL_BYTES + 1) };
        socket.send({ ...oversized, type: 'event', thumbnail: oversized.thumbnail.toString('base64') });
        // Refusal may be a close, an error message or silence; only an ack for this event is wrong.
        let acked = false;
        try {
          const answer = (await socket.next(REFUSAL_QUIET_MS)) as { type?: unknown; eventId?: unknown };
          acked = answer?.type === 'ack' && answer.eventId === oversized.eventId;
        } catch {
          // closed or quiet: both are refusals
        }
        expectThat(!acked, () => 'an ack for the oversized event', 'no ack');
        const stored = ids(await allEvents(state.target, state.tokens.alice)).includes(oversized.eventId);
        expectThat(!stored, () => 'the oversized event in alice\'s list', 'not stored');
      },
    },
  ],
};
