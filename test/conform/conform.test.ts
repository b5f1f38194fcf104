/**
 * conform against real targets through the real CLI: the reference cloud must pass with zero failures, and a
 * target with a broken access rule must fail naming the broken expectations.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conform/runner.ts';
import { startGarbageTarget, startLenientPaging, startThumbnailCacheLeak, type RunningProxy } from './broken-target.ts';
import { runStampede, startReferenceTarget } from './cli.ts';

const ADMIN_TOKEN = `conform-test-${randomBytes(8).toString('hex')}`;
const TALLY = /^(\d+) passed, (\d+) failed, (\d+) warnings?, (\d+) skipped$/m;

function failedNames(stdout: string): string[] {
  return [...stdout.matchAll(/^ {2}FAIL {2}(.+)$/gm)].map((match) => match[1] as string);
}

/**
 * A reference target of its own for one test, with `front` (a broken proxy) before it when given: conform resets the
 * world of the target it checks, so runs at once must not share one.
 */
async function withTarget<T>(args: string[], use: (url: string) => Promise<T>, front?: (upstream: URL) => Promise<RunningProxy>): Promise<T> {
  // Four targets starting at once on a busy machine: more than the 30 s one alone gets.
  const cloud = await startReferenceTarget(['--admin-token', ADMIN_TOKEN, ...args], 120_000);
  let proxy: RunningProxy | undefined;
  try {
    proxy = await front?.(new URL(cloud.url));
    return await use(proxy?.url ?? cloud.url);
  } finally {
    await proxy?.stop();
    await cloud.stop();
  }
}

const conformOn = (url: string) => runStampede(['conform', '--target', url, '--admin-token', ADMIN_TOKEN]);

// At once: a conform run mostly waits out grace windows after access changes, each on a target of its own. Four at
// once on a busy machine take longer each than one alone.
describe.concurrent('stampede conform against the reference cloud', { timeout: 300_000 }, () => {
  it('passes the reference cloud with zero failures, never printing the admin token', async () => {
    const outcome = await withTarget([], conformOn);
    expect(failedNames(outcome.stdout)).toEqual([]);
    const [, passed, failed] = TALLY.exec(outcome.stdout) ?? [];
    expect(Number(passed)).toBeGreaterThan(60);
    expect(failed).toBe('0');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout + outcome.stderr).not.toContain(ADMIN_TOKEN);
  });

  it('fails a target whose thumbnail cache ignores who asks, naming the broken access expectations', async () => {
    const outcome = await withTarget([], conformOn, startThumbnailCacheLeak);
    expect(outcome.code).toBe(1);
    const failed = failedNames(outcome.stdout);
    expect(failed).toContain("another user's thumbnail: 404 with an error body");
    expect(failed).toContain("after revoke the sharee gets 404 for the camera's thumbnails");
    expect(failed).toContain("after a transfer the old owner gets 404 for the camera's thumbnails");
    // What was seen is printed under the failure: the leaked 200 where a 404 belonged.
    expect(outcome.stdout).toMatch(/FAIL {2}another user's thumbnail.*\n\s+saw GET \/v1\/events\/\S+\/thumbnail answered 200/);
    const [, , failedCount] = TALLY.exec(outcome.stdout) ?? [];
    expect(Number(failedCount)).toBe(failed.length);
  });

  it('passes a target that clamps an out-of-range limit, listing each strictness check as a warning (exit 0)', async () => {
    const outcome = await withTarget([], conformOn, startLenientPaging);
    expect(failedNames(outcome.stdout)).toEqual([]);
    const warned = [...outcome.stdout.matchAll(/^ {2}warn {2}(.+)$/gm)].map((match) => match[1]);
    expect(warned).toEqual(['limit=0 is refused with a 4xx', 'limit=501 is refused with a 4xx']);
    const [, , failed, warnings] = TALLY.exec(outcome.stdout) ?? [];
    expect([failed, warnings]).toEqual(['0', '2']);
    expect(outcome.code).toBe(0);
  });

  it('fails the leak zoo\'s stale-acl cloud on the access rule', async () => {
    const outcome = await withTarget(['--bug', 'stale-acl'], conformOn);
    expect(outcome.code).toBe(1);
    expect(failedNames(outcome.stdout).some((name) => /after (revoke|a transfer)/.test(name))).toBe(true);
  });
});

describe('stampede conform usage and reachability', () => {
  it('refuses a non-loopback target without --allow-remote (exit 2)', async () => {
    const outcome = await runStampede(['conform', '--target', 'http://192.0.2.10:8080', '--admin-token', ADMIN_TOKEN]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/not on this machine.*--allow-remote/);
    expect(outcome.stderr).not.toContain(ADMIN_TOKEN);
  });

  it('says the target cannot be reached (exit 3) in one line, taking the token from the environment', async () => {
    const port = await closedPort();
    const outcome = await runStampede(['conform', '--target', `http://127.0.0.1:${port}`], { STAMPEDE_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(outcome.code).toBe(3);
    expect(outcome.stderr.trim()).toMatch(new RegExp(`^stampede: cannot reach http://127\\.0\\.0\\.1:${port}/: ECONNREFUSED; is the target running\\?$`));
  });

  it('rejects a bad --timeout-ms, an empty or missing admin token as usage (exit 2)', async () => {
    const target = ['conform', '--target', 'http://127.0.0.1:1'];
    const outcomes = await Promise.all([
      runStampede([...target, '--admin-token', 'x', '--timeout-ms', 'soon']),
      runStampede([...target, '--admin-token', '']),
      runStampede(target, { STAMPEDE_ADMIN_TOKEN: '' }),
    ]);
    expect(outcomes.map((outcome) => outcome.code)).toEqual([2, 2, 2]);
  });
});

describe('runConformance against garbage', () => {
  const garbage: RunningProxy[] = [];
  afterAll(async () => {
    await Promise.all(garbage.map((target) => target.stop()));
  });
  const start = async (mode: 'echo' | 'shapes') => {
    const target = await startGarbageTarget(mode);
    garbage.push(target);
    return runConformance({ target: target.url, adminToken: ADMIN_TOKEN, timeoutMs: 2_000, graceMs: 100 });
  };

  it('fails what it can judge, skips undeclared capabilities, and redacts an echoed admin token', async () => {
    const { results } = await start('echo');
    expect(results.find((r) => r.area === 'health')?.status).toBe('pass');
    expect(results.filter((r) => r.area !== 'health' && r.status === 'pass')).toEqual([]);
    const skipped = results.filter((r) => r.status === 'skip');
    expect(new Set(skipped.map((r) => r.area))).toEqual(new Set(['admin auth', 'seeding', 'user auth', 'cameras', 'thumbnails', 'stream', 'access: share and revoke', 'access: transfer']));
    expect(skipped.every((r) => /does not declare capability/.test(r.detail ?? ''))).toBe(true);
    // Every area seeds first, and this target's 200 is not the 204 a seed needs.
    const seedRefused = results.find((r) => r.area === 'login' && r.name.startsWith('good credentials'));
    expect(seedRefused?.detail).toMatch(/^not checked: setup failed: saw PUT \/v1\/admin\/world answered 200 <html>you sent Bearer <admin token><\/html>; expected 204$/);
    for (const result of results) expect(result.detail ?? '').not.toContain(ADMIN_TOKEN);
  });

  it('reports answers of the wrong shape by field, as failures', async () => {
    const { results } = await start('shapes');
    const refusal = results.find((r) => r.name === 'PUT /v1/admin/cameras/{cameraId}/owner: 401 with a wrong token');
    expect(refusal).toEqual(expect.objectContaining({ status: 'skip' }));
    const wrongToken = results.find((r) => r.name === 'PUT /v1/admin/world: 401 with a wrong token');
    expect(wrongToken?.detail).toBe('saw PUT /v1/admin/world answered 204 (empty body); expected 401');
    const login = results.find((r) => r.name.startsWith('good credentials'));
    expect(login?.status).toBe('fail');
    expect(login?.detail).toMatch(/^saw POST \/v1\/login answered 200 with \{"token":"t",.*\(userId: .+\); expected \{"token","userId"\}$/);
  });
});

/** A port nobody listens on: bound by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
