import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestCloud, startTestCloud, world } from '../helpers/cloud.ts';

let t: TestCloud;
let token: string;
beforeAll(async () => {
  t = await startTestCloud();
  await t.api.seed(world(['alice'], [['camA', 'alice']]));
  token = await t.api.login('alice');
});
afterAll(() => t.cloud.stop());

describe('bad HTTP input', () => {
  it('answers each with the protocol error body and keeps serving', async () => {
    const cases: [string, string, { token?: string; raw?: string }, number, string][] = [
      ['POST', '/v1/login', { raw: '{not json' }, 400, 'bad_request'],
      ['POST', '/v1/login', { raw: '{"email":1}' }, 400, 'bad_request'],
      ['POST', '/v1/login', { raw: 'x'.repeat(70 * 1024) }, 413, 'payload_too_large'],
      ['PUT', '/v1/admin/world', { token: t.adminToken, raw: '[' }, 400, 'bad_request'],
      ['PUT', '/v1/admin/cameras/camA/owner', { token: t.adminToken, raw: 'null' }, 400, 'bad_request'],
      ['GET', '/v1/login', {}, 405, 'method_not_allowed'],
      ['DELETE', '/v1/cameras', { token }, 405, 'method_not_allowed'],
      ['POST', '/v1/admin/world', { token: t.adminToken }, 405, 'method_not_allowed'],
      ['GET', '/v1/nowhere', {}, 404, 'not_found'],
      ['GET', '/v1/events/bad%20id/thumbnail', { token }, 404, 'not_found'],
      ['GET', '/v1/events/x/thumbnail/more', { token }, 404, 'not_found'],
      ['GET', '/v1/events?limit=9999', { token }, 400, 'bad_request'],
    ];
    for (const [method, path, options, status, code] of cases) {
      const answer = await t.api.call(method, path, options);
      expect(answer.status, `${method} ${path}`).toBe(status);
      expect(answer.body, `${method} ${path}`).toMatchObject({ error: { code, message: expect.any(String) } });
    }
    expect((await t.api.call('GET', '/v1/cameras', { token })).status).toBe(200);
  });

  it('names the allowed methods on 405', async () => {
    const answer = await t.api.call('PATCH', '/v1/admin/cameras/camA/shares/alice', { token: t.adminToken });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('PUT, DELETE');
  });
});
