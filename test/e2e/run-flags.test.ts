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

  it('refuses --workers 0 without the token in the environment, in one line, before anything starts', async () => {
    const result = await stampede(['run', 'storm', '--workers', '0', '--collector-listen', '127.0.0.1:9000', '--expect-workers', '2'], { env: { STAMPEDE_COLLECTOR_TOKEN: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^stampede: --workers 0 needs the collector token in STAMPEDE_COLLECTOR_TOKEN: .+$/);
  });

  it('refuses a worker without the collector token, or with an index outside its count', async () => {
    const flags = ['worker', 'storm', '--collector', 'http://127.0.0.1:9/records', '--target', 'http://127.0.0.1:9', '--seed', '1'];
    const tokenless = await stampede([...flags, '--index', '0', '--count', '2'], { env: { STAMPEDE_COLLECTOR_TOKEN: '' } });
    expect(tokenless.code).toBe(2);
    expect(tokenless.stderr).toMatch(/^stampede: stampede worker needs the collector token in STAMPEDE_COLLECTOR_TOKEN/m);
    const outside = await stampede([...flags, '--count', '2'], { env: { STAMPEDE_COLLECTOR_TOKEN: 't', JOB_COMPLETION_INDEX: '2' } });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^stampede: --index 2 is outside 0\.\.1 for --count 2$/m);
  });
});
