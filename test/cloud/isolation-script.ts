/**
 * A fixed script of events and access changes with the answers the access rule demands, run against a cloud
 * whose cache path may be broken. Every read is made twice, so the second one can come from the cache.
 */
import { expect } from 'vitest';
import { type Socket, type TestCloud, connectCamera, sendEvent, world } from '../helpers/cloud.ts';

type Expected = Record<'alice' | 'bob' | 'carol', string[]>;
const ALL_EVENTS = ['a1', 'b1', 'a2', 'a3', 'a4'];

async function expectVisible(t: TestCloud, tokens: Record<string, string>, expected: Expected): Promise<void> {
  for (const [user, events] of Object.entries(expected)) {
    for (let read = 0; read < 2; read++) {
      expect(await t.api.allEvents(tokens[user]!), `${user} list, read ${read}`).toEqual(events);
      const first = await t.api.call('GET', '/v1/events?limit=2', { token: tokens[user] });
      expect((first.body as { events: { eventId: string }[] }).events.map((event) => event.eventId)).toEqual(events.slice(0, 2));
    }
    for (const eventId of ALL_EVENTS) {
      const answer = await t.api.call('GET', `/v1/events/${eventId}/thumbnail`, { token: tokens[user] });
      expect(answer.status, `${user} thumbnail ${eventId}`).toBe(events.includes(eventId) ? 200 : 404);
      if (answer.status === 200) expect(answer.bytes.toString()).toBe(`bytes of ${eventId}`);
    }
  }
}

export async function runIsolationScript(t: TestCloud): Promise<void> {
  await t.api.seed(world(['alice', 'bob', 'carol'], [['camA', 'alice'], ['camB', 'bob']], [['camA', 'carol']]));
  const tokens = { alice: await t.api.login('alice'), bob: await t.api.login('bob'), carol: await t.api.login('carol') };
  const cameras: Socket[] = [];
  try {
    const camA = await connectCamera(t.cloud.url, 'camA');
    cameras.push(camA);
    const camB = await connectCamera(t.cloud.url, 'camB');
    cameras.push(camB);
    const send = (camera: Socket, eventId: string) => sendEvent(camera, eventId, Buffer.from(`bytes of ${eventId}`));
    await send(camA, 'a1');
    await send(camB, 'b1');
    await expectVisible(t, tokens, { alice: ['a1'], bob: ['b1'], carol: ['a1'] });
    expect((await t.api.admin('DELETE', '/v1/admin/cameras/camA/shares/carol')).status).toBe(204);
    await send(camA, 'a2');
    await expectVisible(t, tokens, { alice: ['a1', 'a2'], bob: ['b1'], carol: [] });
    expect((await t.api.admin('PUT', '/v1/admin/cameras/camA/owner', { ownerId: 'bob' })).status).toBe(204);
    await send(camA, 'a3');
    await expectVisible(t, tokens, { alice: [], bob: ['b1', 'a3'], carol: [] });
    expect((await t.api.admin('PUT', '/v1/admin/cameras/camA/shares/carol')).status).toBe(204);
    await send(camA, 'a4');
    // a1 was accepted while carol had access and she has it again; a2 and a3 were accepted while she had none.
    await expectVisible(t, tokens, { alice: [], bob: ['b1', 'a3', 'a4'], carol: ['a1', 'a4'] });
  } finally {
    for (const camera of cameras) camera.close();
  }
}
