/**
 * `users.events`: a user's list, walked to its end through the backend's own paging, holds each of their events
 * exactly once, each naming the camera that sent it, and nothing of a camera they cannot see.
 */
import type { DeviceEvent, ShownItem } from '../../../adapter/types.ts';
import type { Area } from '../../expectation.ts';
import { expectThat } from '../../expectation.ts';
import { listed, sceneOf, sendNew, type Scene } from '../scene.ts';
import type { AdapterSubject, Hook } from '../subject.ts';
import { eventsOf, expectNoneOf, visibleTo } from './access.ts';

interface EventsState extends Scene {
  sent: { alice: DeviceEvent[]; bob: DeviceEvent[] };
  /** What each user listed, read once by the first step that needs it. */
  lists: Partial<Record<'alice' | 'bob', ShownItem[]>>;
}

async function listOf(state: EventsState, who: 'alice' | 'bob'): Promise<ShownItem[]> {
  return (state.lists[who] ??= await eventsOf(state, who));
}

async function expectEachOnce(state: EventsState, who: 'alice' | 'bob'): Promise<void> {
  const items = await listOf(state, who);
  for (const event of state.sent[who]) {
    const times = items.filter((item) => item.eventId === event.eventId).length;
    expectThat(times === 1, () => `${event.eventId} listed ${times} times among ${items.length} events`, 'each of the user\'s events listed once');
  }
}

async function expectRightCamera(state: EventsState, who: 'alice' | 'bob'): Promise<void> {
  const items = await listOf(state, who);
  const sent = new Map([...state.sent.alice, ...state.sent.bob].map((event) => [event.eventId, event]));
  const wrong = items.filter((item) => sent.has(item.eventId) && item.cameraId !== sent.get(item.eventId)!.cameraId);
  expectThat(wrong.length === 0, () => `${who} was shown ${listed(wrong)}`, 'each event under the camera that sent it');
}

async function expectNothingForeign(state: EventsState, who: 'alice' | 'bob'): Promise<void> {
  const other = who === 'alice' ? 'bob' : 'alice';
  const items = await listOf(state, who);
  expectNoneOf(`${who} was shown`, items, state.cast[other === 'bob' ? 'garage' : 'front'].id, state.sent[other].map((event) => event.eventId));
  const visible = visibleTo(state.cast, state.cast[who].id);
  const unseeable = items.filter((item) => !visible.has(item.cameraId));
  expectThat(unseeable.length === 0, () => `${who} was shown ${listed(unseeable)}`, `only events of [${[...visible].join(', ')}]`);
}

export const eventsArea: Area<EventsState, AdapterSubject, Hook> = {
  name: 'events',
  async setup(subject) {
    const scene = await sceneOf(subject);
    const front = await subject.connect(scene.cast.front);
    const garage = await subject.connect(scene.cast.garage);
    const sent: EventsState['sent'] = { alice: [], bob: [] };
    for (let i = 0; i < 5; i += 1) sent.alice.push(await sendNew(scene, front, 'list'));
    for (let i = 0; i < 2; i += 1) sent.bob.push(await sendNew(scene, garage, 'list'));
    return { ...scene, sent, lists: {} };
  },
  steps: [
    { name: 'alice\'s list, paged to its end, holds each of her events once', run: (state) => expectEachOnce(state, 'alice') },
    { name: 'bob\'s list, paged to its end, holds each of his events once', run: (state) => expectEachOnce(state, 'bob') },
    { name: 'each listed event names the camera that sent it', run: async (state) => { await expectRightCamera(state, 'alice'); await expectRightCamera(state, 'bob'); } },
    { name: 'alice\'s list holds nothing of a camera she cannot see', run: (state) => expectNothingForeign(state, 'alice') },
    { name: 'bob\'s list holds nothing of a camera he cannot see', run: (state) => expectNothingForeign(state, 'bob') },
  ],
};
