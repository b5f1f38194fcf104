import { afterEach, describe, expect, it } from 'vitest';
import { printableLine, printableText } from '../../src/protocol/printable.ts';
import { forgetSecrets, keepSecret, redact, redactDeep } from '../../src/protocol/redact.ts';

afterEach(() => forgetSecrets());

describe('redact', () => {
  it('replaces a known secret however a target echoes it: raw, inside JSON, percent-encoded, twice, at the edges', () => {
    keepSecret('pa"ss:w@rd#1');
    keepSecret('camera-secret-abcdefgh');
    expect(redact('pa"ss:w@rd#1')).toBe('[redacted]');
    expect(redact(JSON.stringify({ echo: 'pa"ss:w@rd#1' }))).toBe('{"echo":"[redacted]"}');
    expect(redact(`/v1/login?p=${encodeURIComponent('pa"ss:w@rd#1')}`)).toBe('/v1/login?p=[redacted]');
    expect(redact('xcamera-secret-abcdefghx and camera-secret-abcdefgh')).toBe('x[redacted]x and [redacted]');
    expect(redact('nothing secret here')).toBe('nothing secret here');
  });

  it('replaces the longer of two secrets that start alike whole', () => {
    keepSecret('token-123456');
    keepSecret('token-123456-and-more');
    expect(redact('a token-123456-and-more b token-123456')).toBe('a [redacted] b [redacted]');
  });

  it('leaves secrets too short to look for alone, rather than mangling every word', () => {
    keepSecret('abc');
    expect(redact('abcdef abc')).toBe('abcdef abc');
  });

  it('removes the credentials of any URL in a text, up to the last @ before the host ends', () => {
    expect(redact('GET http://user:p@ss@127.0.0.1:8080/x?y=a@b failed')).toBe('GET http://[redacted]@127.0.0.1:8080/x?y=a@b failed');
    expect(redact('redis://:secret@localhost:6379 and mailto:a@b.test')).toBe('redis://[redacted]@localhost:6379 and mailto:a@b.test');
    expect(redact('http://127.0.0.1:8080/path@x')).toBe('http://127.0.0.1:8080/path@x');
  });

  it('walks plain data, copying only what changed', () => {
    keepSecret('secret-value-1');
    const untouched = { a: ['x', { b: 1 }] };
    expect(redactDeep(untouched)).toBe(untouched);
    expect(redactDeep({ a: ['x', { b: 'is secret-value-1' }], n: 3 })).toEqual({ a: ['x', { b: 'is [redacted]' }], n: 3 });
  });
});

describe('printable', () => {
  it('shows control characters as escapes; a line keeps to one line, a text keeps its newlines', () => {
    keepSecret('secret-value-1');
    expect(printableLine('a\u001b[31mb\u0007\nc\r\u009b\u202e secret-value-1')).toBe('a\\x1b[31mb\\x07\\nc\\r\\x9b\\u202e [redacted]');
    expect(printableText('one\ntwo\u001b[2J\tthree')).toBe('one\ntwo\\x1b[2J\tthree');
  });
});
