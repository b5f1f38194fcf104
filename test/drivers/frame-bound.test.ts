/**
 * A target that sends a WebSocket frame larger than any the protocol has (welcome, ack and pushed events are
 * small JSON) costs the camera at most 64 KiB: the socket is closed and the error names the socket and the bound.
 */
import type { AddressInfo } from 'node:net';
import { via } from './helpers/reference.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { startCameraFleet } from '../../simulators/protocol/camera-fleet.ts';
import { MemoryRecorder, smallWorld, until } from './helpers/world.ts';

let server: WebSocketServer;
let url: string;
beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Every hello is answered with a welcome padded to 1 MiB.
  server.on('connection', (socket) => socket.once('message', () => socket.send(`{"type":"welcome","pad":"${' '.repeat(1024 * 1024)}"}`)));
});
afterAll(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('frames from a target', () => {
  it('a frame over 64 KiB closes the camera\'s socket with an error naming the socket and the bound', async () => {
    const world = smallWorld(1, 1);
    const recorder = new MemoryRecorder();
    const fleet = startCameraFleet({
      ...via(url), world, recorder, rate: 1, policy: { floorMs: 50, capMs: 50, jitterMs: 0 }, key: 'k', deadline: Date.now() + 30_000, maxEvents: 0,
    });
    try {
      expect(await until(() => recorder.of('error').length > 0)).toBe(true);
      expect(recorder.of('error')[0]!.message).toBe('/v1/device sent a frame over 64 KiB, the most Stampede reads from a target');
      expect(await until(() => fleet.stats().closes > 0)).toBe(true);
    } finally {
      await fleet.stop();
    }
    // Never welcomed: each failed connect is counted, and the count is the camera's one camera record.
    expect(fleet.stats().welcomes).toBe(0);
    expect(recorder.of('camera')).toEqual([expect.objectContaining({ state: 'closed', code: 1001, retries: expect.any(Number) })]);
    expect(recorder.of('camera')[0]!.retries).toBeGreaterThanOrEqual(1);
  });
});
