/**
 * Ctrl-C while an admin call hangs: the target answers its health check, then never answers the seeding call.
 * The abort reaches the call in flight, so the run stops at once with exit 130, not after the admin timeout with
 * "seeding the target failed: ... no answer".
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { runDir } from '../helpers/cli.ts';
import { startCli, stopAll } from './progress-child.ts';

describe('stampede run stopped while seeding a target that never answers', () => {
  const hung = new Set<ServerResponse>();
  let seeding!: () => void;
  const seedingStarted = new Promise<void>((resolve) => (seeding = resolve));
  let seedingClosed!: () => void;
  const seedingEnded = new Promise<void>((resolve) => (seedingClosed = resolve));
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.url === '/v1/health') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', capabilities: [] }));
      return;
    }
    // Every admin call hangs: the world is never seeded.
    hung.add(response);
    response.on('close', () => seedingClosed());
    if (request.method === 'PUT' && request.url === '/v1/admin/world') seeding();
  });
  afterAll(async () => {
    stopAll();
    for (const response of hung) response.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('exits 130 without waiting for the admin call to time out', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cli = startCli(['run', 'storm', '--target', target, '--admin-token', 'hung-admin-token', '--cameras', '4', '--users', '2', '--duration', '10', '--out', runDir('hung-admin')]);
    await seedingStarted;
    cli.child.kill('SIGINT');
    const code = await cli.exited;

    expect(code, cli.stderr().slice(-3000)).toBe(130);
    expect(cli.stderr()).toContain('stampede: stopping:');
    // The timeout path would say why seeding failed; a call ended by Ctrl-C is not a failure of the target.
    expect(cli.stderr()).not.toMatch(/seeding the target failed|no answer|timeout/i);
    await seedingEnded; // the hung call's connection was closed by the run, not left to the target
  }, 120_000);
});
