import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Socket, type TestCloud, connectCamera, sendEvent, startTestCloud, world } from '../helpers/cloud.ts';

let t: TestCloud;
const sockets: Socket[] = [];
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.cloud.stop());
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

async function camera(cameraId: string): Promise<Socket> {
  const socket = await connectCamera(t.cloud.url, cameraId);
  sockets.push(socket);
  return socket;
}

describe('the access rule', () => {
  let tokens: Record<string, string>;
  beforeEach(async () => {
    await t.api.seed(world(['alice', 'bob', 'carol'], [['camA', 'alice'], ['camB', 'bob']], [['camA', 'carol']]));
    tokens = { alice: await t.api.login('alice'), bob: await t.api.login('bob'), carol: await t.api.login('carol') };
  });

  it('lists cameras with roles and online state', async () => {
    await camera('camA');
    const list = async (user: string) => (await t.api.call('GET', '/v1/cameras', { token: tokens[user] })).body;
    expect(await list('alice')).toEqual({ cameras: [{ cameraId: 'camA', role: 'owner', online: true }] });
    expect(await list('carol')).toEqual({ cameras: [{ cameraId: 'camA', role: 'shared', online: true }] });
    expect(await list('bob')).toEqual({ cameras: [{ cameraId: 'camB', role: 'owner', online: false }] });
  });

  it('shows events to owner and sharees only', async () => {
    const camA = await camera('camA');
    const camB = await camera('camB');
    await sendEvent(camA, 'a1');
    await sendEvent(camB, 'b1');
    expect(await t.api.allEvents(tokens.alice!)).toEqual(['a1']);
    expect(await t.api.allEvents(tokens.carol!)).toEqual(['a1']);
    expect(await t.api.allEvents(tokens.bob!)).toEqual(['b1']);
  });

  it('a revoked sharee loses the whole history, and sees only events accepted while shared after a re-share', async () => {
    const camA = await camera('camA');
    await sendEvent(camA, 'a1');
    expect((await t.api.admin('DELETE', '/v1/admin/cameras/camA/shares/carol')).status).toBe(204);
    await sendEvent(camA, 'a2');
    expect(await t.api.allEvents(tokens.carol!)).toEqual([]);
    expect((await t.api.call('GET', '/v1/events/a1/thumbnail', { token: tokens.carol })).status).toBe(404);
    expect((await t.api.call('GET', '/v1/cameras', { token: tokens.carol })).body).toEqual({ cameras: [] });
    expect((await t.api.admin('PUT', '/v1/admin/cameras/camA/shares/carol')).status).toBe(204);
    await sendEvent(camA, 'a3');
    // a2 was accepted while carol had no access: never hers. a1 was accepted while shared and she has access now.
    expect(await t.api.allEvents(tokens.carol!)).toEqual(['a1', 'a3']);
    expect(await t.api.allEvents(tokens.alice!)).toEqual(['a1', 'a2', 'a3']);
  });

  it('a transfer hands the new owner only later events; the old owner loses the history; shares are kept', async () => {
    const camA = await camera('camA');
    await sendEvent(camA, 'a1');
    expect((await t.api.admin('PUT', '/v1/admin/cameras/camA/owner', { ownerId: 'bob' })).status).toBe(204);
    await sendEvent(camA, 'a2');
    expect(await t.api.allEvents(tokens.alice!)).toEqual([]);
    expect((await t.api.call('GET', '/v1/events/a1/thumbnail', { token: tokens.alice })).status).toBe(404);
    expect((await t.api.call('GET', '/v1/events/a2/thumbnail', { token: tokens.alice })).status).toBe(404);
    expect(await t.api.allEvents(tokens.bob!)).toEqual(['a2']);
    expect((await t.api.call('GET', '/v1/events/a1/thumbnail', { token: tokens.bob })).status).toBe(404);
    expect(await t.api.allEvents(tokens.carol!)).toEqual(['a1', 'a2']);
    const bobs = (await t.api.call('GET', '/v1/cameras', { token: tokens.bob })).body as { cameras: { cameraId: string; role: string }[] };
    expect(bobs.cameras.map((c) => [c.cameraId, c.role]).sort()).toEqual([['camA', 'owner'], ['camB', 'owner']]);
    expect((await t.api.call('GET', '/v1/cameras', { token: tokens.alice })).body).toEqual({ cameras: [] });
  });

  it('pages through events in acceptance order with opaque cursors and limits', async () => {
    const camA = await camera('camA');
    const ids = Array.from({ length: 7 }, (_, i) => `p${i}`);
    for (const id of ids) await sendEvent(camA, id);
    const seen: string[] = [];
    let since = '';
    for (let page = 0; page < 10; page++) {
      const answer = await t.api.call('GET', `/v1/events?limit=3${since ? `&since=${since}` : ''}`, { token: tokens.alice });
      const body = answer.body as { events: { eventId: string; cameraId: string; kind: string; thumbnail: string }[]; next: string };
      expect(body.events.length).toBeLessThanOrEqual(3);
      if (body.events.length === 0) break;
      for (const event of body.events) expect(event).toMatchObject({ cameraId: 'camA', kind: 'motion', thumbnail: `/v1/events/${event.eventId}/thumbnail` });
      seen.push(...body.events.map((event) => event.eventId));
      since = body.next;
    }
    expect(seen).toEqual(ids);
    await sendEvent(camA, 'p7');
    const after = await t.api.call('GET', `/v1/events?since=${since}&limit=500`, { token: tokens.alice });
    expect((after.body as { events: { eventId: string }[] }).events.map((event) => event.eventId)).toEqual(['p7']);
  });

  it('refuses bad limits and cursors with 400', async () => {
    for (const query of ['limit=0', 'limit=501', 'limit=abc', 'limit=2.5', 'limit=', 'since=garbage', 'since=']) {
      const answer = await t.api.call('GET', `/v1/events?${query}`, { token: tokens.alice });
      expect(answer.status, query).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'bad_request' } });
    }
    expect((await t.api.call('GET', '/v1/events?limit=500', { token: tokens.alice })).status).toBe(200);
    expect((await t.api.call('GET', '/v1/events?limit=1', { token: tokens.alice })).status).toBe(200);
  });

  it('returns thumbnails byte for byte, and 404 for unknown or foreign ones', async () => {
    const camA = await camera('camA');
    const camB = await camera('camB');
    const bytes = Buffer.concat([Buffer.alloc(17), randomBytes(64 * 1024 - 34), Buffer.alloc(17)]);
    await sendEvent(camA, 'thumb-a', bytes);
    await sendEvent(camB, 'thumb-b', Buffer.alloc(0));
    const own = await t.api.call('GET', '/v1/events/thumb-a/thumbnail', { token: tokens.alice });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('application/octet-stream');
    expect(own.bytes.equals(bytes)).toBe(true);
    const empty = await t.api.call('GET', '/v1/events/thumb-b/thumbnail', { token: tokens.bob });
    expect(empty.status).toBe(200);
    expect(empty.bytes.length).toBe(0);
    const foreign = await t.api.call('GET', '/v1/events/thumb-a/thumbnail', { token: tokens.bob });
    const unknown = await t.api.call('GET', '/v1/events/nope/thumbnail', { token: tokens.bob });
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(foreign.body).toEqual(unknown.body);
  });

  it('answers 401 to user calls without a valid token', async () => {
    for (const path of ['/v1/cameras', '/v1/events', '/v1/events/x/thumbnail']) {
      expect((await t.api.call('GET', path)).status).toBe(401);
      const wrong = await t.api.call('GET', path, { token: 'made-up' });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect((await t.api.call('POST', '/v1/login', { body: { email: 'alice', password: 'wrong' } })).status).toBe(401);
    expect((await t.api.call('POST', '/v1/login', { body: { email: 'nobody', password: 'x' } })).status).toBe(401);
  });
});
