/**
 * The users' HTTP client cuts a call at its time limit, counting the time it waited for a free connection, and
 * at the run's stop; both end as problems, never as throws or hangs. The target here accepts and never answers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetClient } from '../../src/adapter/reference/http.ts';
import { ANSWER_BOUNDS } from '../../src/protocol/limits.ts';
import { EventPage } from '../../src/protocol/schema.ts';

let server: Server;
let url: string;
const sockets = new Set<Socket>();
/** Connections accepted so far: only grows, whatever earlier tests' sockets do meanwhile. */
let accepted = 0;
beforeAll(async () => {
  server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('TargetClient against a target that never answers', () => {
  it('a call past its time limit is a timeout problem, also one that waited for a connection', async () => {
    // One connection: the second call waits in the agent's queue behind the first, where no socket timeout runs.
    const agent = new Agent({ connections: 1, headersTimeout: 600_000, bodyTimeout: 600_000 });
    const client = new TargetClient(url, agent, 300, new AbortController().signal);
    const answers = await Promise.all([
      client.json('GET', '/v1/events?limit=5', 'token', EventPage, ANSWER_BOUNDS.eventPage),
      client.bytes('/v1/events/e1/thumbnail', 'token', ANSWER_BOUNDS.thumbnail),
    ]);
    expect(answers).toEqual([
      { ok: false, status: 0, problem: 'GET /v1/events failed: The operation was aborted due to timeout' },
      { ok: false, status: 0, problem: 'GET /v1/events/e1/thumbnail failed: The operation was aborted due to timeout' },
    ]);
    await agent.destroy();
  });

  it('the run\'s stop ends every call in flight at once, and calls after it fail without being sent', async () => {
    const agent = new Agent({ connections: 2, headersTimeout: 600_000, bodyTimeout: 600_000 });
    const stop = new AbortController();
    const client = new TargetClient(url, agent, 600_000, stop.signal);
    const before = accepted;
    const inFlight = [1, 2, 3].map(() => client.json('GET', '/v1/cameras', 'token', EventPage, ANSWER_BOUNDS.eventPage));
    // Both connections reached the target: two calls are on the wire, the third waits for one of them.
    await expect.poll(() => accepted, { timeout: 60_000 }).toBeGreaterThanOrEqual(before + 2);
    stop.abort(new Error('the run stopped'));
    const answers = await Promise.all(inFlight);
    for (const answer of answers) expect(answer).toEqual({ ok: false, status: 0, problem: 'GET /v1/cameras failed: the run stopped' });
    const after = await client.json('GET', '/v1/cameras', 'token', EventPage, ANSWER_BOUNDS.eventPage);
    expect(after).toEqual({ ok: false, status: 0, problem: 'GET /v1/cameras failed: the run stopped' });
    await agent.destroy();
  });
});
