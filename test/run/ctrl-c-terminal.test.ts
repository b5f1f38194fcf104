/**
 * Ctrl-C as a terminal sends it: SIGINT to the whole foreground process group, Stampede and everything it started.
 * The run still heals, removes its proxies and stops its processes in order, so it exits 130 with no teardown
 * warning: Toxiproxy and the cloud must not die of the keypress before the run has used them to clean up.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runDir } from '../helpers/cli.ts';
import { startCli, stopAll } from './progress-child.ts';

describe('stampede run stopped by a terminal Ctrl-C', () => {
  afterAll(() => stopAll());

  it('exits 130 without a false teardown warning', async () => {
    const out = runDir('terminal-ctrl-c');
    const cli = startCli(['run', 'storm', '--cameras', '10', '--users', '5', '--seed', '11', '--duration', '40', '--out', out], {}, { group: true });
    // Press it while the outage is in force, so there is a fault to heal as well as proxies to remove.
    await cli.waitForLine(/left \|.*\| faults outage@client/, 90_000);
    process.kill(-cli.child.pid!, 'SIGINT');
    const code = await cli.exited;

    expect(code, cli.stderr().slice(-3000)).toBe(130);
    expect(cli.stderr()).toContain('stampede: stopping: healing faults');
    expect(cli.stderr()).not.toMatch(/warning|failed/i);
  }, 150_000);
});
