/** `/v1/stream`: pushes of the caller's new events (header or query token), nothing else, 4401 on bad tokens. */
import { StreamMessage, type Event } from '../../protocol/schema.ts';
import { conformsTo } from '../answers.ts';
import { connectCamera, sendEvent, type CameraEvent } from '../camera.ts';
import type { Area } from '../expectation.ts';
import { expectThat, Mismatch } from '../expectation.ts';
import { newEvent, seededSession, type Session } from '../session.ts';
import type { ProtocolSocket } from '../socket.ts';
import type { Target } from '../target.ts';

interface StreamState extends Session {
  front?: ProtocolSocket;
  garage?: ProtocolSocket;
}

/**
 * The server may still be registering the subscription when the client sees the upgrade complete (an async
 * token lookup, say); a short pause keeps conform from blaming it for an event sent in that instant.
 */
const SUBSCRIBE_SETTLE_MS = 200;
/** After the expected push arrived, how long a wrongly pushed foreign event has to show up. */
const LEAK_LISTEN_MS = 300;

export async function openStream(target: Target, token: string, via: 'header' | 'query'): Promise<ProtocolSocket> {
  const socket = via === 'header'
    ? target.socket('/v1/stream', { authorization: `Bearer ${token}` })
    : target.socket(`/v1/stream?token=${encodeURIComponent(token)}`);
  await socket.opened();
  await new Promise((resolve) => setTimeout(resolve, SUBSCRIBE_SETTLE_MS));
  return socket;
}

/** Waits for the push of `event`, returning every pushed event seen up to and including it. */
export async function awaitPush(stream: ProtocolSocket, event: CameraEvent, maxMessages = 20): Promise<Event[]> {
  const pushed: Event[] = [];
  for (let i = 0; i < maxMessages; i += 1) {
    const message = conformsTo(await stream.next(), StreamMessage, 'stream pushed', '{"type":"event","event":Event}');
    pushed.push(message.event);
    if (message.event.eventId === event.eventId) return pushed;
  }
  throw new Mismatch(`${maxMessages} pushes without ${event.eventId}`, `a push of ${event.eventId}`);
}

/** Pushed events that arrived without waiting, validated. */
export function drainPushes(stream: ProtocolSocket): Event[] {
  return stream.drain().map((m) => conformsTo(m, StreamMessage, 'stream pushed', '{"type":"event","event":Event}').event);
}

async function expectPushed(state: StreamState, via: 'header' | 'query'): Promise<void> {
  const stream = await openStream(state.target, state.tokens.alice, via);
  const event = newEvent(state.fixture, `push-${via}`);
  await sendEvent(state.front as ProtocolSocket, event);
  const pushed = (await awaitPush(stream, event)).at(-1);
  const same = pushed?.cameraId === state.fixture.front.cameraId && pushed.kind === event.kind && pushed.ts === event.ts;
  expectThat(same, () => JSON.stringify(pushed), `the event as sent by ${state.fixture.front.cameraId}`);
  stream.close();
}

async function expectRefused(socket: ProtocolSocket): Promise<void> {
  try {
    await socket.opened();
  } catch {
    // Refused at the upgrade: reported below through the close code it produced.
  }
  const { code, reason } = await socket.closed();
  expectThat(code === 4401, () => `close code ${code}${reason ? ` (${reason})` : ''}`, 'close code 4401');
}

export const stream: Area<StreamState> = {
  name: 'stream',
  async setup(target) {
    const session = await seededSession(target);
    if (!target.capabilities.has('stream')) return session;
    return {
      ...session,
      front: await connectCamera(target, session.fixture.front),
      garage: await connectCamera(target, session.fixture.garage),
    };
  },
  steps: [
    {
      name: 'with Authorization: Bearer, the stream pushes the caller\'s new event',
      needs: ['stream'],
      run: (state) => expectPushed(state, 'header'),
    },
    {
      name: 'with ?token=, the stream pushes the caller\'s new event',
      needs: ['stream'],
      run: (state) => expectPushed(state, 'query'),
    },
    {
      name: 'the stream pushes only events visible to the caller',
      needs: ['stream'],
      async run(state) {
        const stream = await openStream(state.target, state.tokens.alice, 'header');
        const foreign = newEvent(state.fixture, 'stream-foreign');
        await sendEvent(state.garage as ProtocolSocket, foreign);
        const own = newEvent(state.fixture, 'stream-own');
        await sendEvent(state.front as ProtocolSocket, own);
        const pushed = await awaitPush(stream, own);
        await new Promise((resolve) => setTimeout(resolve, LEAK_LISTEN_MS));
        const leaked = [...pushed, ...drainPushes(stream)].filter((e) => e.cameraId !== state.fixture.front.cameraId);
        expectThat(leaked.length === 0, () => `pushed ${leaked.map((e) => `${e.eventId} of ${e.cameraId}`)}`, 'no event of bob\'s camera');
      },
    },
    {
      name: 'an unknown token closes the stream with 4401',
      needs: ['stream'],
      run: ({ target, fixture }) => expectRefused(target.socket(`/v1/stream?token=${fixture.tag}-unknown`)),
    },
    {
      name: 'an unknown Bearer token closes the stream with 4401',
      needs: ['stream'],
      run: ({ target, fixture }) => expectRefused(target.socket('/v1/stream', { authorization: `Bearer ${fixture.tag}-unknown` })),
    },
    {
      name: 'no token closes the stream with 4401',
      needs: ['stream'],
      run: ({ target }) => expectRefused(target.socket('/v1/stream')),
    },
  ],
};
