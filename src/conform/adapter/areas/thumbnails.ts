/**
 * `users.thumbnail` and `users.probe`: the owner gets the very bytes the camera sent (their provenance says whose
 * they are), and another user asking for that event is refused. A thumbnail over 64 KiB being accepted is input
 * strictness the protocol leaves open: a warning.
 */
import type { DeviceEvent } from '../../../adapter/types.ts';
import { MAX_THUMBNAIL_BYTES } from '../../../protocol/limits.ts';
import type { Area } from '../../expectation.ts';
import { expectThat, Mismatch } from '../../expectation.ts';
import type { Camera } from '../links.ts';
import { newEvent, sceneOf, sendNew, whoseBytes, type Scene } from '../scene.ts';
import type { AdapterSubject, Hook } from '../subject.ts';
import { eventsOf, expectRefusalStatus } from './access.ts';

interface ThumbnailsState extends Scene {
  front: Camera;
  own: DeviceEvent;
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

export const thumbnailsArea: Area<ThumbnailsState, AdapterSubject, Hook> = {
  name: 'thumbnails',
  async setup(subject) {
    const scene = await sceneOf(subject);
    const front = await subject.connect(scene.cast.front);
    return { ...scene, front, own: await sendNew(scene, front, 'thumb') };
  },
  steps: [
    {
      name: 'the owner gets the very bytes the camera sent',
      async run({ subject, sessions, own }) {
        const answer = await subject.ask('users.thumbnail', sessions.alice, own);
        expectThat(answer.status === 200, () => `status ${answer.status}`, 'status 200 with the bytes');
        expectThat(sameBytes(answer.bytes, own.thumbnail), () => whoseBytes(answer.bytes), `the ${own.thumbnail.length} bytes ${own.cameraId} sent for ${own.eventId}`);
      },
    },
    {
      name: 'another user\'s thumbnail of the event is refused',
      async run({ subject, sessions, own }) {
        const answer = await subject.ask('users.thumbnail', sessions.bob, own);
        expectRefusalStatus('bob\'s users.thumbnail', answer.status, answer.bytes);
      },
    },
    {
      name: 'another user\'s probe of the event is refused',
      needs: ['users.probe'],
      async run({ subject, sessions, own }) {
        const answer = await subject.ask('users.probe', sessions.bob, own);
        expectRefusalStatus('bob\'s users.probe', answer.status, answer.bytes);
      },
    },
    {
      name: 'a thumbnail over 64 KiB is refused (not acknowledged, not listed)',
      severity: 'warning',
      async run(state) {
        const event = { ...newEvent(state.cast, state.front.id, 'oversized'), thumbnail: new Uint8Array(MAX_THUMBNAIL_BYTES + 1024).fill(7) };
        await state.subject.call('devices.send', async () => state.front.connection.send(event));
        // Nothing to wait on but the ack that must not come: one grace window is how long it would take.
        const acked = await state.front.link.waitAck(event.eventId, state.subject.graceMs);
        if (acked) throw new Mismatch(`${event.eventId} (${event.thumbnail.length} bytes) acknowledged`, 'a refusal');
        const listed = (await eventsOf(state, 'alice')).some((item) => item.eventId === event.eventId);
        expectThat(!listed, () => `${event.eventId} (${event.thumbnail.length} bytes) listed`, 'a refusal');
      },
    },
  ],
};
