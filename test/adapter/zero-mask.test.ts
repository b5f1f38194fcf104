/**
 * The reference adapter's camera frames are masked, as RFC 6455 asks of every client frame, with an all-zero key
 * (sockets.ts says why): read off the wire by a server that answers the hello, the frames carry the mask bit, the
 * key 00000000, and the JSON in the clear.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { deviceHooks } from '../../src/adapter/reference/devices.ts';

let server: WebSocketServer;
const frames: Buffer[] = [];
beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket, request) => {
    request.socket.on('data', (chunk: Buffer) => frames.push(chunk));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; cameraId: string; eventId: string };
      if (message.type === 'hello') socket.send(JSON.stringify({ type: 'welcome', cameraId: message.cameraId }));
      else socket.send(JSON.stringify({ type: 'ack', eventId: message.eventId }));
    });
  });
  await new Promise((resolve) => server.once('listening', resolve));
});
afterAll(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise((resolve) => server.close(resolve));
});

it('sends masked frames with a zero key, hello and event alike', async () => {
  const stop = new AbortController();
  const ctx = { endpoints: { target: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, signal: stop.signal, timeoutMs: 10_000, options: {} };
  const acked: string[] = [];
  const link = { acked: (eventId: string) => void acked.push(eventId), dropped: () => undefined, unreadable: () => undefined };
  const connection = await deviceHooks.connect(ctx, { id: 'cam-1', secret: 'not-a-real-secret', owner: 'u-1', shares: [] }, link);
  connection.send({ eventId: 'cam-1.e1', cameraId: 'cam-1', kind: 'person', ts: 1, thumbnail: new Uint8Array(300).fill(7) });
  await expect.poll(() => acked).toEqual(['cam-1.e1']);
  stop.abort();

  const wire = Buffer.concat(frames);
  const seen: string[] = [];
  for (let at = 0; at < wire.length;) {
    expect(wire[at]! & 0x0f, 'a text frame').toBe(1);
    expect(wire[at + 1]! & 0x80, 'the mask bit').toBe(0x80);
    let length = wire[at + 1]! & 0x7f;
    let keyAt = at + 2;
    if (length === 126) [length, keyAt] = [wire.readUInt16BE(at + 2), at + 4];
    expect(wire.subarray(keyAt, keyAt + 4).toString('hex')).toBe('00000000');
    seen.push(wire.subarray(keyAt + 4, keyAt + 4 + length).toString());
    at = keyAt + 4 + length;
  }
  expect(seen.map((text) => (JSON.parse(text) as { type: string }).type)).toEqual(['hello', 'event']);
});
