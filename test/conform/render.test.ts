/** The text verdict and the target URL guard. */
import { describe, expect, it } from 'vitest';
import { ExitCode, StampedeError } from '../../src/errors.ts';
import { renderResults } from '../../src/conform/render.ts';
import { parseTargetUrl } from '../../src/conform/target-url.ts';

describe('renderResults', () => {
  it('groups by area, explains failures, warnings and skips on one indented line, and ends with the tally', () => {
    const text = renderResults([
      { area: 'login', name: 'good credentials', status: 'pass' },
      { area: 'login', name: 'wrong password', status: 'fail', detail: 'saw 200\n{"token":"x"}; expected 401' },
      { area: 'events', name: 'limit=0 is refused', status: 'warn', detail: 'saw 200; expected a 4xx' },
      { area: 'stream', name: 'pushes', status: 'skip', detail: 'target does not declare capability stream' },
    ]);
    expect(text).toBe(
      [
        'login',
        '  pass  good credentials',
        '  FAIL  wrong password',
        '        saw 200 {"token":"x"}; expected 401',
        'events',
        '  warn  limit=0 is refused',
        '        saw 200; expected a 4xx',
        'stream',
        '  skip  pushes',
        '        target does not declare capability stream',
        '1 passed, 1 failed, 1 warning, 1 skipped',
        '',
      ].join('\n'),
    );
  });

  it('marks what an adapter could not check as an error, counted after the usual tally', () => {
    const text = renderResults([
      { area: 'events', name: 'listed once', status: 'error', detail: 'adapter acme: users.events threw Error: boom' },
    ]);
    expect(text).toBe(['events', '  ERR!  listed once', '        adapter acme: users.events threw Error: boom', '0 passed, 0 failed, 0 warnings, 0 skipped, 1 error (no verdict)', ''].join('\n'));
  });
});

describe('parseTargetUrl', () => {
  const usage = (raw: string, allowRemote = false) => {
    try {
      parseTargetUrl(raw, allowRemote);
    } catch (error) {
      return error instanceof StampedeError ? error.exitCode : 'not a StampedeError';
    }
    return 'accepted';
  };

  it('accepts loopback targets and refuses others unless allowed', () => {
    for (const url of ['http://127.0.0.1:8080', 'http://127.3.2.1', 'http://[::1]:9000', 'https://localhost/api']) {
      expect(usage(url)).toBe('accepted');
    }
    expect(usage('http://192.0.2.1:8080')).toBe(ExitCode.usage);
    expect(usage('http://127.0.0.1.example.com')).toBe(ExitCode.usage);
    expect(usage('http://192.0.2.1:8080', true)).toBe('accepted');
  });

  it('refuses what is not an http(s) URL', () => {
    expect(usage('127.0.0.1:8080')).toBe(ExitCode.usage);
    expect(usage('ftp://127.0.0.1')).toBe(ExitCode.usage);
    expect(usage('not a url')).toBe(ExitCode.usage);
  });
});
