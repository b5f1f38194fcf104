/** `GET /v1/events/{eventId}/thumbnail`: the exact uploaded bytes to those who may see them, 404 to others. */
import { MAX_THUMBNAIL_BYTES } from '../../protocol/schema.ts';
import { expectError, expectStatus } from '../answers.ts';
import { connectCamera, sendEvent } from '../camera.ts';
import { excerpt } from '../client.ts';
import type { Area, Step } from '../expectation.ts';
import { expectThat, Mismatch, required } from '../expectation.ts';
import { randomThumbnail } from '../fixture.ts';
import { newEvent, seededSession, type Session } from '../session.ts';
import type { ProtocolSocket } from '../socket.ts';
import { thumbnail } from '../user.ts';

interface ThumbnailsState extends Session {
  device?: ProtocolSocket;
  lastEventId?: string;
}

function roundTrip(name: string, bytes: () => Buffer): Step<ThumbnailsState> {
  return {
    name,
    needs: ['thumbnails'],
    async run(state) {
      const event = { ...newEvent(state.fixture, 'thumb'), thumbnail: bytes() };
      await sendEvent(state.device as ProtocolSocket, event);
      state.lastEventId = event.eventId;
      const answer = await thumbnail(state.target, state.tokens.alice, event.eventId);
      expectStatus(answer, 200);
      if (!answer.bytes.equals(event.thumbnail)) {
        const at = firstDifference(answer.bytes, event.thumbnail);
        throw new Mismatch(`${answer.bytes.length} bytes differing from byte ${at} (${excerpt(answer.bytes, 24)})`, `the ${event.thumbnail.length} bytes uploaded`);
      }
    },
  };
}

function firstDifference(a: Buffer, b: Buffer): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) if (a[i] !== b[i]) return i;
  return length;
}

export const thumbnails: Area<ThumbnailsState> = {
  name: 'thumbnails',
  async setup(target) {
    const session = await seededSession(target);
    return { ...session, device: await connectCamera(target, session.fixture.front) };
  },
  steps: [
    roundTrip('random binary with zero bytes comes back byte for byte', () => randomThumbnail(3_000)),
    roundTrip('a single zero byte comes back byte for byte', () => Buffer.alloc(1)),
    roundTrip(`a ${MAX_THUMBNAIL_BYTES / 1024} KiB thumbnail (the maximum) comes back byte for byte`, () => randomThumbnail(MAX_THUMBNAIL_BYTES)),
    {
      name: 'thumbnails are served as application/octet-stream',
      needs: ['thumbnails'],
      async run({ target, tokens, lastEventId }) {
        const answer = await thumbnail(target, tokens.alice, required(lastEventId, 'an uploaded thumbnail'));
        const type = answer.contentType.split(';')[0]?.trim();
        expectThat(type === 'application/octet-stream', () => `content-type ${answer.contentType || '(none)'}`, 'application/octet-stream');
      },
    },
    {
      name: 'an unknown event id: 404 with an error body',
      needs: ['thumbnails'],
      run: async ({ target, tokens, fixture }) => expectError(await thumbnail(target, tokens.alice, `${fixture.tag}-nosuch`), 404),
    },
    {
      name: 'another user\'s thumbnail: 404 with an error body',
      needs: ['thumbnails'],
      run: async ({ target, tokens, lastEventId }) => expectError(await thumbnail(target, tokens.bob, required(lastEventId, 'an uploaded thumbnail')), 404),
    },
  ],
};
