/** Flags `stampede run` no longer has are bad usage: one line, exit 2, before anything starts. */
import { describe, expect, it } from 'vitest';
import { stampede } from '../helpers/cli.ts';

describe('stampede run flags', () => {
  it('refuses --engine: the fleet has one engine, Stampede\'s own simulators', async () => {
    const result = await stampede(['run', 'storm', '--engine', 'node', '--duration', '10']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: unknown option '--engine'$/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
