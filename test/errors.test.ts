import { describe, expect, it } from 'vitest';
import { ExitCode, UnavailableError, UsageError, describeError, exitCodeOf } from '../src/errors.ts';

describe('errors', () => {
  it('reports an unexpected failure as an internal error with exit 3, never as bad usage', () => {
    for (const error of [new Error('boom'), new TypeError('x is undefined'), 'a thrown string', undefined]) {
      expect(exitCodeOf(error)).toBe(ExitCode.unavailable);
      expect(describeError(error)).toMatch(/^internal error: .* \(please report this/);
    }
  });

  it('keeps the exit code and hint of an error meant for the user', () => {
    expect(exitCodeOf(new UsageError('bad flag'))).toBe(ExitCode.usage);
    expect(exitCodeOf(new UnavailableError('redis is down'))).toBe(ExitCode.unavailable);
    expect(describeError(new UsageError('bad flag', 'drop it'))).toBe('bad flag: drop it');
  });
});
