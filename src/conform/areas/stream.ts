/** `/v1/stream`: pushes of the caller's new events (header or query token), nothing else, 4401 on bad tokens. */
import { connectCamera, sendEvent } from '../camera.ts';
import type { Area } from '../expectation.ts';
import { expectThat } from '../expectation.ts';
import { awaitPush, drainPushes, LEAK_LISTEN_MS, openLiveStream } from '../push.ts';
import { newEvent, seededSession, type Session } from '../session.ts';
import type { ProtocolSocket } from '../socket.ts';

interface StreamState extends Session {
  front?: ProtocolSocket;
  garage?: ProtocolSocket;
}

async function expectPushed(state: StreamState, via: 'header' | 'query'): Promise<void> {
  const stream = await openLiveStream(state.target, state.tokens.alice, via, state.front as ProtocolSocket, state.fixture);
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
        const stream = await openLiveStream(state.target, state.tokens.alice, 'header', state.front as ProtocolSocket, state.fixture);
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
