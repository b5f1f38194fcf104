import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Socket, type TestCloud, connectCamera, openStream, sendEvent, startTestCloud, world } from '../helpers/cloud.ts';

let t: TestCloud;
const sockets: Socket[] = [];
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.cloud.stop());
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});
beforeEach(async () => {
  await t.api.seed(world(['alice', 'bob', 'carol'], [['camA', 'alice'], ['camB', 'bob']], [['camA', 'carol']]));
});

function track<T extends Socket>(socket: T): T {
  sockets.push(socket);
  return socket;
}

/** Sends a warm-up event and waits until every stream got it. */
async function subscribed(streams: Socket[], camera: Socket, eventId: string): Promise<void> {
  await sendEvent(camera, eventId);
  for (const stream of streams) expect(await stream.next()).toMatchObject({ event: { eventId } });
}

function device(): Socket {
  return track(new Socket(`${t.cloud.url.replace('http', 'ws')}/v1/device`));
}

describe('the device channel', () => {
  it('welcomes a camera with the right secret and closes 4401 on a wrong one or an unknown camera', async () => {
    const good = track(await connectCamera(t.cloud.url, 'camA'));
    expect(good.ws.readyState).toBe(good.ws.OPEN);
    const wrong = device();
    await wrong.opened;
    wrong.send({ type: 'hello', cameraId: 'camB', secret: 'secret-camA' });
    expect(await wrong.closed).toBe(4401);
    const unknown = device();
    await unknown.opened;
    unknown.send({ type: 'hello', cameraId: 'ghost', secret: 'x' });
    expect(await unknown.closed).toBe(4401);
  });

  it('closes 4401 when an event comes before any hello', async () => {
    const early = device();
    await early.opened;
    early.send({ type: 'event', eventId: 'e0', kind: 'motion', ts: 1, thumbnail: '' });
    expect(await early.closed).toBe(4401);
  });

  it('replaces an older connection of the same camera with 4409', async () => {
    const older = track(await connectCamera(t.cloud.url, 'camA'));
    const newer = track(await connectCamera(t.cloud.url, 'camA'));
    expect(await older.closed).toBe(4409);
    await sendEvent(newer, 'after-replace');
    const token = await t.api.login('alice');
    const cameras = await t.api.call('GET', '/v1/cameras', { token });
    expect(cameras.body).toEqual({ cameras: [{ cameraId: 'camA', role: 'owner', online: true }] });
  });

  it('acks a repeated eventId again and stores it once, even from a new connection', async () => {
    const first = track(await connectCamera(t.cloud.url, 'camA'));
    await sendEvent(first, 'dup');
    await sendEvent(first, 'dup');
    first.close();
    const second = track(await connectCamera(t.cloud.url, 'camA'));
    await sendEvent(second, 'dup');
    expect(await t.api.allEvents(await t.api.login('alice'))).toEqual(['dup']);
  });

  it('refuses another camera\'s eventId, bad thumbnails and malformed messages, and keeps serving', async () => {
    const camA = track(await connectCamera(t.cloud.url, 'camA'));
    const camB = track(await connectCamera(t.cloud.url, 'camB'));
    await sendEvent(camA, 'mine');
    const event = (eventId: string, thumbnail: string) => ({ type: 'event', eventId, kind: 'motion', ts: 1, thumbnail });
    const cases: [unknown, string][] = [
      [event('mine', ''), 'conflict'],
      [event('big', Buffer.alloc(64 * 1024 + 1).toString('base64')), 'thumbnail_too_large'],
      [event('bad64', 'not base64!'), 'bad_thumbnail'],
      [event('bad64b', 'QUJD='), 'bad_thumbnail'],
      [event('bad64c', 'QR=='), 'bad_thumbnail'],
      [event('bad64d', 'QU=D'), 'bad_thumbnail'],
      ['{not json', 'bad_request'],
      [{ type: 'event', eventId: 'no kind', ts: 1, thumbnail: '' }, 'bad_request'],
      [{ type: 'dance' }, 'bad_request'],
    ];
    for (const [message, code] of cases) {
      camB.send(message);
      expect(await camB.next(), JSON.stringify(message).slice(0, 60)).toMatchObject({ type: 'error', error: { code } });
    }
    const exact = Buffer.alloc(64 * 1024, 7);
    await sendEvent(camB, 'exactly-64k', exact);
    expect(await t.api.allEvents(await t.api.login('bob'))).toEqual(['exactly-64k']);
    expect(camB.ws.readyState).toBe(camB.ws.OPEN);
  });
});

describe('the push stream', () => {
  // Subscribing finishes after the upgrade, once the token is checked; a pushed warm-up event proves it is done.
  // Pushes on one socket keep their order, so a later event a user may see also proves an earlier one was not sent.
  it('pushes an event to its audience only, by header or query token', async () => {
    const alice = track(openStream(t.cloud.url, await t.api.login('alice')));
    const carol = track(openStream(t.cloud.url, await t.api.login('carol'), 'query'));
    const bob = track(openStream(t.cloud.url, await t.api.login('bob')));
    const camA = track(await connectCamera(t.cloud.url, 'camA'));
    const camB = track(await connectCamera(t.cloud.url, 'camB'));
    await Promise.all([alice.opened, carol.opened, bob.opened]);
    await subscribed([alice, carol], camA, 'warm-a');
    await subscribed([bob], camB, 'warm-b');
    await sendEvent(camA, 'pushed-a');
    await sendEvent(camB, 'pushed-b');
    await sendEvent(camA, 'pushed-a2');
    expect(await alice.next()).toEqual({ type: 'event', event: expect.objectContaining({ eventId: 'pushed-a', cameraId: 'camA', kind: 'motion', thumbnail: '/v1/events/pushed-a/thumbnail' }) });
    expect(await alice.next()).toMatchObject({ event: { eventId: 'pushed-a2' } });
    expect(await carol.next()).toMatchObject({ event: { eventId: 'pushed-a' } });
    expect(await carol.next()).toMatchObject({ event: { eventId: 'pushed-a2' } });
    expect(await bob.next()).toMatchObject({ event: { eventId: 'pushed-b' } });
    await sendEvent(camB, 'pushed-b2');
    expect(await bob.next()).toMatchObject({ event: { eventId: 'pushed-b2' } });
  });

  it('stops pushing to a revoked sharee and to the old owner after a transfer', async () => {
    const carol = track(openStream(t.cloud.url, await t.api.login('carol')));
    const alice = track(openStream(t.cloud.url, await t.api.login('alice')));
    const bob = track(openStream(t.cloud.url, await t.api.login('bob')));
    const camA = track(await connectCamera(t.cloud.url, 'camA'));
    const camB = track(await connectCamera(t.cloud.url, 'camB'));
    await subscribed([carol, alice], camA, 'warm-a');
    await subscribed([bob], camB, 'warm-b');
    await t.api.admin('DELETE', '/v1/admin/cameras/camA/shares/carol');
    await t.api.admin('PUT', '/v1/admin/cameras/camA/owner', { ownerId: 'bob' });
    await sendEvent(camA, 'after-changes');
    expect(await bob.next()).toMatchObject({ event: { eventId: 'after-changes' } });
    // Share another camera with carol and alice: its event must be the next thing they are pushed.
    await t.api.admin('PUT', '/v1/admin/cameras/camB/shares/carol');
    await t.api.admin('PUT', '/v1/admin/cameras/camB/shares/alice');
    await sendEvent(camB, 'marker');
    expect(await carol.next()).toMatchObject({ event: { eventId: 'marker' } });
    expect(await alice.next()).toMatchObject({ event: { eventId: 'marker' } });
  });

  it('closes 4401 on a missing or bad token', async () => {
    const none = track(new Socket(`${t.cloud.url.replace('http', 'ws')}/v1/stream`));
    const bad = track(openStream(t.cloud.url, 'made-up'));
    const badQuery = track(openStream(t.cloud.url, 'made-up', 'query'));
    expect(await none.closed).toBe(4401);
    expect(await bad.closed).toBe(4401);
    expect(await badQuery.closed).toBe(4401);
  });

  it('refuses upgrades on other paths and plain GETs of socket paths', async () => {
    const elsewhere = track(new Socket(`${t.cloud.url.replace('http', 'ws')}/v1/nothing`));
    await expect(elsewhere.opened).rejects.toThrow();
    expect((await t.api.call('GET', '/v1/stream')).status).toBe(426);
    expect((await t.api.call('GET', '/v1/health')).status).toBe(200);
  });
});
