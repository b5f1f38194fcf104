/**
 * The fixes adoptClient makes to an autocannon connection, against a real local HTTP server: answers arrive byte
 * for byte (a thumbnail is not text), an answer over its bound is flagged and dropped, a connection cut in the
 * middle of an answer never has the next answer matched with the lost request, and a refused connection is tried
 * again after a backoff rather than in a busy loop.
 */
import autocannon, { type Client, type Request } from 'autocannon';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { adoptClient, type BodyBuffer, takeBody } from '../../simulators/protocol/cannon-client.ts';

/** Bytes no UTF-8 decoder keeps intact. */
const BINARY = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 131 + 7) % 256));

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Runs one autocannon connection for `amount` answers with `requests`, adopted; resolves with its raw result. */
function cannon(url: string, body: BodyBuffer, requests: Request[], options: { amount?: number; duration?: number; rate?: number; backoffMs?: () => number } = {}): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    (autocannon as unknown as (options: object, done: (error: Error | null, raw: Record<string, number>) => void) => void)({
      url, connections: 1, timeout: 5, skipAggregateResult: true,
      ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 1 }),
      ...(options.rate ? { connectionRate: options.rate, ignoreCoordinatedOmission: true } : {}),
      setupClient(client: Client) {
        client.setRequests(requests);
        adoptClient(client, { body, backoffMs: options.backoffMs ?? (() => 100), burstMs: 0 });
      },
    }, (error, raw) => (error ? reject(error) : resolve(raw)));
  });
}

const buffer = (limit = 1 << 20): BodyBuffer => ({ chunks: [], size: 0, tooLarge: false, limit });

describe('adoptClient', () => {
  it('hands every answer over byte for byte, and flags one larger than its bound', async () => {
    const url = await listen((request, response) => response.end(request.url === '/big' ? Buffer.alloc(5000) : BINARY));
    const body = buffer(4096);
    const seen: { path: string; bytes: Buffer; tooLarge: boolean }[] = [];
    const answered = (path: string) => () => {
      const tooLarge = body.tooLarge;
      body.tooLarge = false;
      seen.push({ path, bytes: Buffer.from(takeBody(body)), tooLarge });
    };
    await cannon(url, body, [{ path: '/bin', onResponse: answered('/bin') }, { path: '/big', onResponse: answered('/big') }], { amount: 6 });
    expect(seen.map((s) => s.path)).toEqual(['/bin', '/big', '/bin', '/big', '/bin', '/big']);
    for (const { path, bytes, tooLarge } of seen) {
      if (path === '/bin') expect(bytes.equals(BINARY) && !tooLarge).toBe(true);
      else expect(tooLarge).toBe(true);
    }
  });

  it('never matches an answer with the request lost when a connection was cut mid-answer', async () => {
    let cut = 0;
    const url = await listen((request, response) => {
      // Every third answer to /b is cut after its headers and half its body.
      if (request.url === '/b' && ++cut % 3 === 1) {
        response.writeHead(200, { 'content-length': '10' });
        response.write('BBBBB');
        setTimeout(() => request.socket.destroy(), 5);
        return;
      }
      response.end(request.url === '/a' ? 'AAAAAAAAAA' : 'BBBBBBBBBB');
    });
    const body = buffer();
    const pairs: string[] = [];
    const answered = (path: string) => () => void pairs.push(`${path}=${Buffer.from(takeBody(body)).toString()}`);
    // Cut connections come back after 300 ms; meanwhile autocannon's rate timer sends on the dead one each second.
    await cannon(url, body, [{ path: '/a', onResponse: answered('/a') }, { path: '/b', onResponse: answered('/b') }], { duration: 3, rate: 20, backoffMs: () => 300 });
    expect(cut).toBeGreaterThan(3);
    expect(pairs.length).toBeGreaterThan(4);
    expect(pairs.filter((pair) => pair !== '/a=AAAAAAAAAA' && pair !== '/b=BBBBBBBBBB')).toEqual([]);
  });

  it('tries a refused connection again after its backoff, not in a busy loop', async () => {
    const url = await listen(() => undefined);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const raw = await cannon(url, buffer(), [{ path: '/' }], { duration: 1, backoffMs: () => 100 });
    // About ten tries in a second at one per 100 ms; autocannon on its own makes thousands.
    expect(raw.errors).toBeGreaterThan(0);
    expect(raw.errors).toBeLessThanOrEqual(15);
  });
});
