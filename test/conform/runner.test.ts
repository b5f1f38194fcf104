/** The runner's own rules, with literal areas and no network: a throw is never a pass. */
import { describe, expect, it } from 'vitest';
import type { Area } from '../../src/conform/expectation.ts';
import { Mismatch, NoVerdict } from '../../src/conform/expectation.ts';
import { runAreas } from '../../src/conform/runner.ts';
import { Target } from '../../src/conform/target.ts';

const SECRET = 'admin-secret-for-runner-test';

function target(): Target {
  // Nothing here calls the network; the port is never dialled.
  return new Target({ base: new URL('http://127.0.0.1:9'), adminToken: SECRET, timeoutMs: 100, graceMs: 0 });
}

const pass = async () => undefined;

describe('runAreas', () => {
  it('passes what resolves and fails what throws, with the thrown message', async () => {
    const area: Area<unknown> = {
      name: 'demo',
      setup: async () => ({}),
      steps: [
        { name: 'resolves', run: pass },
        { name: 'mismatch', run: async () => { throw new Mismatch('401', '200'); } },
        { name: 'throws a string', run: async () => { throw 'odd'; } },
      ],
    };
    expect(await runAreas(target(), [area], Date.now() + 10_000)).toEqual([
      { area: 'demo', name: 'resolves', status: 'pass' },
      { area: 'demo', name: 'mismatch', status: 'fail', detail: 'saw 401; expected 200' },
      { area: 'demo', name: 'throws a string', status: 'fail', detail: 'odd' },
    ]);
  });

  it('fails the rest of an area after a failed prerequisite, but still skips undeclared capabilities', async () => {
    const t = target();
    t.capabilities = new Set(['shares']);
    const area: Area<unknown> = {
      name: 'demo',
      setup: async () => ({}),
      steps: [
        { name: 'base', prerequisite: true, run: async () => { throw new Error('no'); } },
        { name: 'needs stream', needs: ['stream'], run: pass },
        { name: 'builds on base', needs: ['shares'], run: pass },
      ],
    };
    const results = await runAreas(t, [area], Date.now() + 10_000);
    expect(results.map((r) => [r.status, r.detail])).toEqual([
      ['fail', 'no'],
      ['skip', 'target does not declare capability stream'],
      ['fail', 'not checked: "base" failed'],
    ]);
  });

  it('fails every step when setup fails, and every step after the run deadline', async () => {
    const broken: Area<unknown> = {
      name: 'broken',
      setup: async () => { throw new Error('seed refused'); },
      steps: [{ name: 'one', run: pass }, { name: 'two', run: pass }],
    };
    const late: Area<unknown> = { name: 'late', setup: async () => ({}), steps: [{ name: 'two', run: pass }] };
    expect(await runAreas(target(), [broken], Date.now() + 10_000)).toEqual([
      { area: 'broken', name: 'one', status: 'fail', detail: 'not checked: setup failed: seed refused' },
      { area: 'broken', name: 'two', status: 'fail', detail: 'not checked: setup failed, as above' },
    ]);
    const results = await runAreas(target(), [late], Date.now() - 1);
    expect(results.map((r) => r.status)).toEqual(['fail']);
    const hanging: Area<unknown> = {
      name: 'hanging',
      setup: async () => ({}),
      steps: [{ name: 'three', run: () => new Promise<void>(() => undefined) }],
    };
    expect((await runAreas(target(), [hanging], Date.now() + 200))[0]?.detail).toBe('cut short: the run reached its time limit');
  });

  it('fails a step that never settles, and never lets the admin token into a detail', async () => {
    const area: Area<unknown> = {
      name: 'demo',
      setup: async () => ({}),
      steps: [
        { name: 'hangs', run: () => new Promise<void>(() => undefined) },
        { name: 'echoes', run: async () => { throw new Error(`target said Bearer ${SECRET}`); } },
      ],
    };
    const results = await runAreas(target(), [area], Date.now() + 10_000);
    expect(results[0]).toEqual({ area: 'demo', name: 'hangs', status: 'fail', detail: 'no verdict within 600 ms' });
    expect(results[1]?.detail).toBe('target said Bearer <admin token>');
  });

  it('gives an error, never a pass or a fail, for what the adapter could not check, and for what builds on it', async () => {
    const area: Area<unknown> = {
      name: 'demo',
      setup: async () => ({}),
      steps: [
        { name: 'ok', run: pass },
        { name: 'hook threw', prerequisite: true, run: async () => { throw new NoVerdict('adapter acme: users.events threw Error: boom'); } },
        { name: 'builds on it', run: pass },
      ],
    };
    expect((await runAreas(target(), [area], Date.now() + 10_000)).map((r) => [r.status, r.detail])).toEqual([
      ['pass', undefined],
      ['error', 'adapter acme: users.events threw Error: boom'],
      ['error', 'not checked: "hook threw" could not be checked'],
    ]);
    const broken: Area<unknown> = {
      name: 'broken',
      setup: async () => { throw new NoVerdict('adapter acme: world.seed threw Error: nope'); },
      steps: [{ name: 'one', run: pass }],
    };
    expect((await runAreas(target(), [broken], Date.now() + 10_000))[0]?.status).toBe('error');
  });

  it('skips an area whose every step lacks what it needs without setting it up', async () => {
    const t = target();
    t.capabilities = new Set();
    let setUp = false;
    const area: Area<unknown> = {
      name: 'demo',
      setup: async () => { setUp = true; return {}; },
      steps: [{ name: 'needs shares', needs: ['shares'], run: pass }],
    };
    expect(await runAreas(t, [area], Date.now() + 10_000)).toEqual([
      { area: 'demo', name: 'needs shares', status: 'skip', detail: 'target does not declare capability shares' },
    ]);
    expect(setUp).toBe(false);
  });
});
