/**
 * Node's fetch refuses some ports by policy ("bad port", before any connection). A healthy target or Toxiproxy
 * on such a port is refused up front with what actually happens, exit 2, instead of "cannot reach the target".
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FETCH_BLOCKED_PORTS } from '../../src/protocol/fetch-failure.ts';
import { runDir, stampede } from '../helpers/cli.ts';

const TOKEN = 'blocked-port-admin-token-2a7f';
const PORT = 6000;
const BLOCKED = /^stampede: (--target|--toxiproxy): port 6000 is blocked by Node's fetch \(the Fetch standard's "bad port" list\), so nothing is ever sent there: pick another port$/m;

describe('the ports fetch refuses', () => {
  it('are exactly undici\'s list, and Node\'s fetch refuses each of them before connecting', async () => {
    const { badPorts } = createRequire(import.meta.url)('undici/lib/web/fetch/constants.js') as { badPorts: string[] };
    expect([...FETCH_BLOCKED_PORTS].map(String)).toEqual(badPorts);
    for (const port of FETCH_BLOCKED_PORTS) {
      const failure = await fetch(`http://127.0.0.1:${port}/`).then(() => undefined, (error: Error) => (error.cause as Error | undefined)?.message);
      expect(failure, `port ${port}`).toBe('bad port');
    }
  });
});

describe(`a healthy target on port ${PORT}`, () => {
  let server: Server | undefined;
  beforeAll(async () => {
    const healthy = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","capabilities":["stream","thumbnails","shares","transfer"]}');
    });
    // Port 6000 is X11's: a machine running a display server has it taken, and then these tests have nothing to show.
    server = await new Promise<Server | undefined>((resolve) => {
      healthy.once('error', () => resolve(undefined));
      healthy.listen(PORT, '127.0.0.1', () => resolve(healthy));
    });
  });
  afterAll(async () => {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  });

  it('run --target: exit 2, one line saying fetch blocks the port', async (context) => {
    if (!server) return context.skip(`port ${PORT} is taken on this machine`);
    const result = await stampede(['run', '--target', `http://127.0.0.1:${PORT}`, '--admin-token', TOKEN, '--duration', '10', '--out', runDir('blocked-target')]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(BLOCKED);
    expect(result.stderr).not.toMatch(/cannot reach|internal error/);
  });

  it('conform --target: exit 2, the same line', async (context) => {
    if (!server) return context.skip(`port ${PORT} is taken on this machine`);
    const result = await stampede(['conform', '--target', `http://127.0.0.1:${PORT}`, '--admin-token', TOKEN]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(BLOCKED);
  });

  it('run --toxiproxy on that port: exit 2, the same line', async (context) => {
    if (!server) return context.skip(`port ${PORT} is taken on this machine`);
    const result = await stampede(['run', '--toxiproxy', `http://127.0.0.1:${PORT}`, '--duration', '10', '--out', runDir('blocked-toxiproxy')]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(BLOCKED);
  });
});
