/**
 * Numeric flags given an empty string (`--seed ''`, as a CI variable that was never set gives): each is bad usage,
 * one line, exit 2, before anything starts; never silently 0.
 */
import { describe, expect, it } from 'vitest';
import { runDir, stampede } from '../helpers/cli.ts';

describe('stampede run with an empty numeric flag', () => {
  for (const flag of ['--seed', '--cameras', '--users', '--duration', '--metrics-port']) {
    it(`refuses ${flag} ''`, async () => {
      const out = runDir('empty-flag');
      const { code, stdout, stderr } = await stampede(['run', 'storm', flag, '', '--out', out], { timeoutMs: 60_000 });
      expect(code, stderr).toBe(2);
      expect(stderr.trim().split('\n')).toEqual([`stampede: ${flag} needs a value (got an empty string)`]);
      expect(stdout).toBe('');
    }, 60_000);
  }

  it('refuses a seed that is not a whole number', async () => {
    const { code, stderr } = await stampede(['run', 'storm', '--seed', '1.5', '--out', runDir('bad-seed')], { timeoutMs: 60_000 });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual(['stampede: --seed must be a whole number (got "1.5")']);
  }, 60_000);
});
