/**
 * A scenario whose fault schedule is malformed is a usage error before anything starts: no Toxiproxy, no proxy,
 * not a single request to the target, no fleet left running with nobody to stop it. (Built-in scenarios are
 * valid, so this goes through runStorm with a scenario of the test's own, as a user's scenario file would.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { UsageError } from '../../src/errors.ts';
import { resolveRunConfig } from '../../src/run/config.ts';
import { sequence, type Scenario } from '../../src/scenario/scenario.ts';
import { runStorm } from '../../src/run/storm.ts';
import { runDir } from '../helpers/cli.ts';

/** Two outages on the client proxy at once: they would fight, so the schedule is refused. */
const fighting: Scenario = {
  ...scenarios.get('storm')!,
  name: 'fighting-outages',
  phases: (durationMs) =>
    sequence(durationMs, [
      { name: 'warm-up', share: 0.5 },
      { name: 'broken', share: 0.3, faults: [{ fault: 'outage', path: 'client' }, { fault: 'outage', path: 'client' }] },
      { name: 'drain', share: 0.2, emit: false },
    ]),
  changeWindow: () => ({ startMs: 1_000, endMs: 5_000 }),
};

let target: Server | undefined;
afterEach(async () => {
  target?.closeAllConnections();
  await new Promise((resolve) => target?.close(resolve) ?? resolve(undefined));
});

describe('the fault schedule', () => {
  it('is validated before anything starts: a bad one is a usage error and the target never hears from the run', async () => {
    // A target that would let the run go all the way: healthy, accepts the world, counts everything it is asked.
    let requests = 0;
    target = createServer((req, res) => {
      requests += 1;
      req.resume();
      if (req.url === '/v1/health') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","capabilities":[]}');
      else res.writeHead(204).end();
    });
    target.on('upgrade', (_req, socket) => {
      requests += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => target!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const out = runDir('fighting');
    const config = resolveRunConfig(
      { scenario: fighting.name, target: url, adminToken: 'token', duration: '10', cameras: '4', users: '2', out, quiet: true },
      new Map([[fighting.name, fighting]]),
      new Date(),
    );
    const io = { log: () => undefined, out: () => undefined, signal: new AbortController().signal, command: 'test' };
    await expect(runStorm(config, io)).rejects.toThrow(UsageError);
    await expect(runStorm(config, io)).rejects.toThrow(/bad fault schedule: phase broken, fault 2: its outage overlaps the outage of phase broken, fault 1/);
    expect(requests).toBe(0);
    expect(existsSync(join(out, 'journal.ndjson'))).toBe(false);
  }, 60_000);
});
