/**
 * wyze-2024 on the MQTT cloud's ingest path: when every camera comes back at once and sends its backlog, the
 * batching cache client files events under other cameras, and a user's feed lists an event that a camera of
 * someone else took. The correct cloud, driven the same way, lists each event only to its camera's users.
 */
import { setMaxListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import adapter from '../../examples/adapters/mqtt.adapter.ts';
import type { AdapterContext, DeviceConnection, WorldCamera, WorldUser } from '../../src/adapter/define.ts';
import { startMqttCloud, type RunningMqttCloud } from '../../simulators/mqtt-cloud/index.ts';
import { REDIS_URL } from '../helpers/cloud.ts';

const USERS = 40;
const CAMERAS_EACH = 5;
const ROUNDS = 3;
const adminToken = 'admin-key-of-the-zoo-test';
let cloud: RunningMqttCloud | undefined;
const stop = new AbortController();
// Two hundred cameras each listen for the run's end on one signal, as they do in a run.
setMaxListeners(0, stop.signal);

afterEach(async () => {
  await cloud?.stop();
  cloud = undefined;
});

const users: WorldUser[] = Array.from({ length: USERS }, (_, u) => ({ id: `u-${u}`, login: `u${u}@example.test`, secret: `passphrase-of-${u}` }));
const cameras: WorldCamera[] = users.flatMap((user, u) =>
  Array.from({ length: CAMERAS_EACH }, (_, c) => ({ id: `cam-${u}-${c}`, secret: `device-secret-${u}-${c}`, owner: user.id, shares: [] })),
);

/** Every round: all cameras connect at once and send one event each at once; returns the events listed to users whose sender is not theirs. */
async function reconnectStorm(bug: string): Promise<string[]> {
  cloud = await startMqttCloud({ adminToken, bug, redisUrl: REDIS_URL });
  const ctx: AdapterContext = { endpoints: cloud.endpoints, signal: stop.signal, timeoutMs: 30_000, options: { adminToken } };
  await adapter.world!.seed!(ctx, { runId: 'zoo', users, cameras });
  const sender = new Map<string, WorldCamera>();
  for (let round = 0; round < ROUNDS; round++) {
    const pending = new Map<string, () => void>();
    const link = { acked: (eventId: string) => pending.get(eventId)?.(), dropped: () => undefined, unreadable: () => undefined };
    const connections: DeviceConnection[] = await Promise.all(cameras.map((camera) => adapter.devices.connect(ctx, camera, link)));
    const acked = cameras.map((camera, i) => {
      const eventId = `ev-${round}-${camera.id}`;
      sender.set(eventId, camera);
      const ack = new Promise<void>((resolve) => pending.set(eventId, resolve));
      void connections[i]!.send({ eventId, cameraId: camera.id, kind: 'motion', ts: Date.now(), thumbnail: new Uint8Array(Buffer.from(eventId)) });
      return ack;
    });
    await Promise.all(acked);
    await Promise.all(connections.map((connection) => connection.close()));
  }
  const leaks: string[] = [];
  for (const user of users) {
    const session = await adapter.users.login(ctx, user);
    const page = await adapter.users.events(ctx, session, { limit: 250 });
    for (const item of page.events) if (sender.get(item.eventId)?.owner !== user.id) leaks.push(`${user.id} was shown ${item.eventId} as ${item.cameraId}`);
  }
  return leaks;
}

describe('the MQTT cloud under a reconnect storm', () => {
  it('with wyze-2024, lists users events that other users\' cameras took', { timeout: 120_000 }, async () => {
    expect((await reconnectStorm('wyze-2024')).length).toBeGreaterThan(0);
  });

  it('without a bug, lists each event only to its camera\'s owner', { timeout: 120_000 }, async () => {
    expect(await reconnectStorm('none')).toEqual([]);
  });
});
