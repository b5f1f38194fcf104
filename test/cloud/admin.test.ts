import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestCloud, connectCamera, sendEvent, startTestCloud, world } from '../helpers/cloud.ts';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.cloud.stop());

describe('health and admin', () => {
  it('answers health without auth, with every capability', async () => {
    const answer = await t.api.call('GET', '/v1/health');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok', capabilities: ['stream', 'thumbnails', 'shares', 'transfer'] });
  });

  it('refuses admin calls without or with a wrong admin token', async () => {
    const seed = world(['alice'], [['cam1', 'alice']]);
    expect((await t.api.call('PUT', '/v1/admin/world', { body: seed })).status).toBe(401);
    const wrong = await t.api.call('PUT', '/v1/admin/world', { body: seed, token: 'not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await t.api.call('PUT', '/v1/admin/cameras/cam1/shares/alice', { token: 'x' })).status).toBe(401);
    expect((await t.api.call('DELETE', '/v1/admin/cameras/cam1/shares/alice')).status).toBe(401);
    expect((await t.api.call('PUT', '/v1/admin/cameras/cam1/owner', { body: { ownerId: 'alice' } })).status).toBe(401);
  });

  it('replaces all state on seeding: users, cameras, events and sessions', async () => {
    await t.api.seed(world(['alice', 'bob'], [['cam1', 'alice']]));
    const oldToken = await t.api.login('alice');
    const camera = await connectCamera(t.cloud.url, 'cam1');
    await sendEvent(camera, 'ev-old');
    expect(await t.api.allEvents(oldToken)).toEqual(['ev-old']);

    await t.api.seed(world(['alice', 'carol'], [['cam2', 'alice']]));
    expect(await camera.closed).toBe(1012);
    expect((await t.api.call('GET', '/v1/cameras', { token: oldToken })).status).toBe(401);
    expect((await t.api.call('POST', '/v1/login', { body: { email: 'bob', password: 'pw-bob' } })).status).toBe(401);
    const token = await t.api.login('alice');
    expect(await t.api.allEvents(token)).toEqual([]);
    expect((await t.api.call('GET', '/v1/events/ev-old/thumbnail', { token })).status).toBe(404);
    const cameras = await t.api.call('GET', '/v1/cameras', { token });
    expect(cameras.body).toEqual({ cameras: [{ cameraId: 'cam2', role: 'owner', online: false }] });
  });

  it('refuses inconsistent seeds with 400 and keeps the previous world', async () => {
    await t.api.seed(world(['alice'], [['cam1', 'alice']]));
    const bad = [
      world(['alice', 'alice'], []),
      world(['alice'], [['cam1', 'nobody']]),
      world(['alice'], [['cam1', 'alice']], [['cam9', 'alice']]),
      { users: [{ userId: 'bad id!', email: 'x', password: 'y' }], cameras: [] },
      { users: 'nope' },
    ];
    for (const seed of bad) {
      const answer = await t.api.admin('PUT', '/v1/admin/world', seed);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'bad_request' } });
    }
    expect(await t.api.login('alice')).toBeTruthy();
  });

  it('answers 404 for admin calls about unknown cameras or users, 204 for known ones', async () => {
    await t.api.seed(world(['alice', 'bob'], [['cam1', 'alice']]));
    expect((await t.api.admin('PUT', '/v1/admin/cameras/nope/shares/bob')).status).toBe(404);
    expect((await t.api.admin('PUT', '/v1/admin/cameras/cam1/shares/nobody')).status).toBe(404);
    expect((await t.api.admin('PUT', '/v1/admin/cameras/cam1/owner', { ownerId: 'nobody' })).status).toBe(404);
    expect((await t.api.admin('PUT', '/v1/admin/cameras/cam1/owner', { owner: 'bob' })).status).toBe(400);
    expect((await t.api.admin('PUT', '/v1/admin/cameras/cam1/shares/bob')).status).toBe(204);
    expect((await t.api.admin('PUT', '/v1/admin/cameras/cam1/shares/bob')).status).toBe(204);
    expect((await t.api.admin('DELETE', '/v1/admin/cameras/cam1/shares/bob')).status).toBe(204);
    expect((await t.api.admin('DELETE', '/v1/admin/cameras/cam1/shares/bob')).status).toBe(204);
    expect((await t.api.admin('PUT', '/v1/admin/cameras/cam1/owner', { ownerId: 'bob' })).status).toBe(204);
  });

  it('accepts a large world and refuses a body over 64 MiB with 413', async () => {
    const users = Array.from({ length: 20_000 }, (_, i) => `user${i}`);
    const cameras = users.map((userId, i): [string, string] => [`cam${i}`, userId]);
    await t.api.seed(world(users, cameras));
    expect(await t.api.login('user19999')).toBeTruthy();
    const huge = Buffer.alloc(64 * 1024 * 1024 + 10, 0x20);
    const answer = await t.api.call('PUT', '/v1/admin/world', { token: t.adminToken, raw: huge }).catch((error: Error) => error);
    // The server stops reading and closes: the client sees the 413, or a reset while it is still sending.
    if (!(answer instanceof Error)) expect(answer.status).toBe(413);
    expect((await t.api.call('GET', '/v1/health')).status).toBe(200);
  });
});
