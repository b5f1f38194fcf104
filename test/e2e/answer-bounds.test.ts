/**
 * A target whose answers never end costs the harness a bounded read and one clear line naming the call and the
 * bound: `run` stops at the health check (exit 3), conform fails the calls it could not read (exit 1). Never
 * "internal error", never a harness reading until the call's timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runDir, stampede } from '../helpers/cli.ts';
import { startEndlessTarget, type EndlessTarget } from '../helpers/endless-target.ts';

const TOKEN = 'endless-target-admin-token-5d1c';
let target: EndlessTarget | undefined;
afterEach(async () => {
  await target?.stop();
  target = undefined;
});

describe('answers that never end', () => {
  it('run: an endless /v1/health is exit 3 with one line naming the call and its bound', async () => {
    target = await startEndlessTarget('health');
    const out = runDir('endless-health');
    const result = await stampede(['run', '--target', target.url, '--admin-token', TOKEN, '--duration', '10', '--quiet', '--out', out]);
    expect(result.code, result.stderr).toBe(3);
    const lines = result.stderr.trim().split('\n').filter((line) => !line.startsWith('stampede: storm on'));
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/GET \/v1\/health: answered more than 64 KiB, the most Stampede reads for that call/);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('conform: endless user-API answers fail their checks naming the bound, not a timeout', async () => {
    target = await startEndlessTarget('user-api');
    // A timeout far above the test's patience: an unbounded reader waits it out on every call and cannot pass.
    const result = await stampede(['conform', '--target', target.url, '--admin-token', TOKEN, '--timeout-ms', '60000'], { timeoutMs: 100_000 });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/POST \/v1\/login: answered more than 64 KiB, the most Stampede reads for that call/);
    expect(result.stdout).not.toMatch(/no answer within/);
    expect(result.stdout + result.stderr).not.toMatch(/internal error/);
  }, 120_000);
});
