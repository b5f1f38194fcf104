/** `GET /v1/cameras`: each user's own cameras as owner, shared ones as shared, `online` following the device. */
import { share } from '../admin.ts';
import { connectCamera } from '../camera.ts';
import type { Area } from '../expectation.ts';
import { expectThat, Mismatch } from '../expectation.ts';
import { eventually, seededSession, type Session } from '../session.ts';
import type { ProtocolSocket } from '../socket.ts';
import { cameras } from '../user.ts';

interface CamerasState extends Session {
  device?: ProtocolSocket;
}

function describe(list: { cameraId: string; role: string; online: boolean }[]): string {
  return `[${list.map((c) => `${c.cameraId} ${c.role}${c.online ? ' online' : ''}`).join(', ')}]`;
}

async function frontOnline(state: CamerasState, expected: boolean): Promise<void> {
  const list = await cameras(state.target, state.tokens.alice);
  const front = list.find((camera) => camera.cameraId === state.fixture.front.cameraId);
  if (front === undefined) throw new Mismatch(`alice lists ${describe(list)}`, `${state.fixture.front.cameraId} listed`);
  expectThat(front.online === expected, () => `online: ${front.online}`, `online: ${expected}`);
}

export const camerasArea: Area<CamerasState> = {
  name: 'cameras',
  setup: seededSession,
  steps: [
    {
      name: 'an owner lists exactly their cameras, each with role "owner"',
      async run({ target, tokens, fixture }) {
        const list = await cameras(target, tokens.alice);
        const seen = list.map((c) => `${c.cameraId}:${c.role}`).sort().join();
        const expected = [fixture.front, fixture.yard].map((c) => `${c.cameraId}:owner`).sort().join();
        expectThat(seen === expected, () => `alice lists ${describe(list)}`, `[${expected}]`);
      },
    },
    {
      name: 'a user lists no camera of another user',
      async run({ target, tokens, fixture }) {
        const list = await cameras(target, tokens.carol);
        expectThat(list.length === 0, () => `carol lists ${describe(list)}`, 'carol, who owns nothing, lists []');
        const bobs = await cameras(target, tokens.bob);
        const foreign = bobs.filter((c) => c.cameraId !== fixture.garage.cameraId);
        expectThat(foreign.length === 0, () => `bob lists ${describe(bobs)}`, `bob lists only ${fixture.garage.cameraId}`);
      },
    },
    {
      name: 'a camera with no device socket is offline',
      run: (state) => frontOnline(state, false),
    },
    {
      name: 'a camera is online while its device socket is live',
      async run(state) {
        state.device = await connectCamera(state.target, state.fixture.front);
        await eventually(state.target.timeoutMs, () => frontOnline(state, true));
      },
    },
    {
      name: 'a camera is offline again once its device socket closes',
      async run(state) {
        state.device?.close();
        await eventually(state.target.timeoutMs, () => frontOnline(state, false));
      },
    },
    {
      name: 'a sharee lists the shared camera with role "shared"',
      needs: ['shares'],
      async run({ target, tokens, fixture }) {
        await share(target, fixture.garage.cameraId, fixture.carol.userId);
        await eventually(target.graceMs + 100, async () => {
          const list = await cameras(target, tokens.carol);
          const seen = list.map((c) => `${c.cameraId}:${c.role}`).join();
          expectThat(seen === `${fixture.garage.cameraId}:shared`, () => `carol lists ${describe(list)}`, `[${fixture.garage.cameraId}:shared]`);
        });
      },
    },
  ],
};
