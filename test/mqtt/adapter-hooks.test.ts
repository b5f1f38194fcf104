/**
 * The worked-example MQTT adapter's hooks against the embedded MQTT cloud (`stampede target --cloud mqtt` as a
 * child, with its private broker and the cache in Redis): checks of this backend's own behaviour, beside the
 * shared contract suite that test/adapter/mqtt-contract.test.ts runs through the same adapter.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import adapter from '../../examples/adapters/mqtt.adapter.ts';
import { Refusal, type AdapterContext, type DeviceConnection, type PushChannel, type ShownItem, type WorldCamera, type WorldUser } from '../../src/adapter/define.ts';
import { startEmbeddedMqttCloud, mqttCloudPorts, type EmbeddedMqttCloud } from '../../src/run/embedded-mqtt.ts';
import { startMqttCloud } from '../../simulators/mqtt-cloud/index.ts';
import { REDIS_URL } from '../helpers/cloud.ts';

const users: WorldUser[] = [
  { id: 'u-alice', login: 'alice@example.test', secret: 'alice-passphrase-1234' },
  { id: 'u-bob', login: 'bob@example.test', secret: 'bob-passphrase-5678' },
  { id: 'u-carol', login: 'carol@example.test', secret: 'carol-passphrase-9012' },
];
const cameras: WorldCamera[] = [
  { id: 'cam-a1', secret: 'device-secret-a1-xyz', owner: 'u-alice', shares: ['u-carol'] },
  { id: 'cam-b1', secret: 'device-secret-b1-xyz', owner: 'u-bob', shares: [] },
];
const TIMEOUT_MS = 20_000;

interface Harness {
  cloud: { endpoints: { api: string; broker: string }; stop(): Promise<void> };
  ctx: AdapterContext;
  stop: AbortController;
}

/** The correct cloud runs as `run --cloud mqtt` will run it (a child); the buggy one in-process, to start faster. */
async function harness(bug: string): Promise<Harness & { embedded?: EmbeddedMqttCloud }> {
  const adminToken = 'admin-key-for-the-in-process-cloud';
  const embedded = bug === 'none' ? await startEmbeddedMqttCloud(await mqttCloudPorts(), REDIS_URL, bug) : undefined;
  const cloud = embedded ?? (await startMqttCloud({ adminToken, bug, redisUrl: REDIS_URL }));
  const stop = new AbortController();
  const ctx: AdapterContext = { endpoints: cloud.endpoints, signal: stop.signal, timeoutMs: TIMEOUT_MS, options: { adminToken: embedded?.adminToken ?? adminToken } };
  await adapter.world!.health!(ctx);
  await adapter.world!.seed!(ctx, { runId: 'run-test', users, cameras });
  return { cloud, ctx, stop, embedded };
}

/** A push channel whose items can be awaited. */
async function openPush(ctx: AdapterContext, session: Awaited<ReturnType<typeof adapter.users.login>>): Promise<{ channel: PushChannel; items: ShownItem[]; next: (eventId: string) => Promise<ShownItem> }> {
  const items: ShownItem[] = [];
  const waiters: { eventId: string; resolve: (item: ShownItem) => void }[] = [];
  const channel = await adapter.users.push!(ctx, session, {
    item(item) {
      items.push(item);
      for (const waiter of waiters.filter((w) => w.eventId === item.eventId)) waiter.resolve(item);
    },
    closed: () => undefined,
    unreadable: () => undefined,
  });
  const next = (eventId: string) => new Promise<ShownItem>((resolve) => {
    const seen = items.find((item) => item.eventId === eventId);
    if (seen) resolve(seen);
    else waiters.push({ eventId, resolve });
  });
  return { channel, items, next };
}

/** A connected camera whose acks can be awaited. */
async function camera(ctx: AdapterContext, which: WorldCamera): Promise<{ connection: DeviceConnection; acked: (eventId: string) => Promise<void>; drops: string[]; dropped: Promise<void> }> {
  const acks = new Set<string>();
  const waiters = new Map<string, () => void>();
  const drops: string[] = [];
  let onDrop = (): void => undefined;
  const dropped = new Promise<void>((resolve) => (onDrop = resolve));
  const connection = await adapter.devices.connect(ctx, which, {
    acked(eventId) {
      acks.add(eventId);
      waiters.get(eventId)?.();
    },
    dropped(reason) {
      drops.push(reason ?? '');
      onDrop();
    },
    unreadable(message) {
      drops.push(`unreadable: ${message}`);
    },
  });
  const acked = (eventId: string) => new Promise<void>((resolve) => (acks.has(eventId) ? resolve() : waiters.set(eventId, resolve)));
  return { connection, acked, drops, dropped };
}

const jpeg = (eventId: string) => new Uint8Array(Buffer.from(`\xff\xd8 thumbnail of ${eventId} \xff\xd9`, 'latin1'));

describe('the MQTT adapter against the correct MQTT cloud', () => {
  let h: Harness & { embedded?: EmbeddedMqttCloud };
  beforeAll(async () => void (h = await harness('none')));
  afterAll(async () => {
    h?.stop.abort();
    await h?.cloud.stop();
  });

  it('keeps the admin key and every secret out of the cloud\'s argv', () => {
    const argv = readFileSync(`/proc/${h.embedded!.child.pid}/cmdline`, 'utf8');
    expect(argv).toContain('--cloud\0mqtt');
    for (const secret of [h.embedded!.adminToken, ...cameras.map((c) => c.secret), ...users.map((u) => u.secret)]) expect(argv).not.toContain(secret);
  });

  it('logs in, refuses wrong credentials as the backend\'s 401, and lists cameras with roles', async () => {
    await expect(adapter.users.login(h.ctx, { ...users[0]!, secret: 'wrong-passphrase' })).rejects.toMatchObject({ name: 'Refusal', status: 401 });
    await expect(adapter.devices.connect(h.ctx, { ...cameras[0]!, secret: 'wrong-device-secret' }, { acked: () => undefined, dropped: () => undefined, unreadable: () => undefined })).rejects.toBeInstanceOf(Refusal);
    const carol = await adapter.users.login(h.ctx, users[2]!);
    expect(await adapter.users.cameras(h.ctx, carol)).toEqual([{ cameraId: 'cam-a1', role: 'shared' }]);
    const alice = await adapter.users.login(h.ctx, users[0]!);
    expect(await adapter.users.cameras(h.ctx, alice)).toEqual([{ cameraId: 'cam-a1', role: 'owner' }]);
    await expect(adapter.users.cameras(h.ctx, { cookie: 'camsid=forged' })).rejects.toMatchObject({ status: 401 });
  });

  it('carries an event from a camera to its owner\'s push, list and thumbnail, and to nobody else', async () => {
    const alice = await adapter.users.login(h.ctx, users[0]!);
    const bob = await adapter.users.login(h.ctx, users[1]!);
    const alicePush = await openPush(h.ctx, alice);
    const bobPush = await openPush(h.ctx, bob);
    const camA = await camera(h.ctx, cameras[0]!);
    const camB = await camera(h.ctx, cameras[1]!);
    const ts = Date.UTC(2026, 0, 2, 3, 4, 5);
    await camA.connection.send({ eventId: 'ev-a-1', cameraId: 'cam-a1', kind: 'motion', ts, thumbnail: jpeg('ev-a-1') });
    await camA.acked('ev-a-1');
    expect(await alicePush.next('ev-a-1')).toEqual({ eventId: 'ev-a-1', cameraId: 'cam-a1', kind: 'motion', ts });
    // Bob's own event comes after Alice's on the same cloud: once it reached him, Alice's would have too.
    await camB.connection.send({ eventId: 'ev-b-1', cameraId: 'cam-b1', kind: 'sound', ts, thumbnail: jpeg('ev-b-1') });
    await bobPush.next('ev-b-1');
    expect(bobPush.items.map((item) => item.eventId)).toEqual(['ev-b-1']);

    const page = await adapter.users.events(h.ctx, alice, { limit: 500 });
    expect(page.events).toEqual([{ eventId: 'ev-a-1', cameraId: 'cam-a1', kind: 'motion', ts }]);
    const later = await adapter.users.events(h.ctx, alice, { cursor: page.next, limit: 10 });
    expect(later.events).toEqual([]);
    const thumb = await adapter.users.thumbnail(h.ctx, alice, { eventId: 'ev-a-1', cameraId: 'cam-a1' });
    expect(thumb.status).toBe(200);
    expect(Buffer.from(thumb.bytes!)).toEqual(Buffer.from(jpeg('ev-a-1')));
    expect(await adapter.users.thumbnail(h.ctx, bob, { eventId: 'ev-a-1', cameraId: 'cam-a1' })).toEqual({ status: 404 });
    expect((await adapter.users.events(h.ctx, bob, { limit: 500 })).events.map((e) => e.eventId)).toEqual(['ev-b-1']);

    await alicePush.channel.close();
    await bobPush.channel.close();
    await camA.connection.close();
    await camB.connection.close();
    expect([...camA.drops, ...camB.drops]).toEqual([]);
  });

  it('applies transfer, share and revoke through the admin API', async () => {
    const bob = await adapter.users.login(h.ctx, users[1]!);
    const carol = await adapter.users.login(h.ctx, users[2]!);
    await adapter.world!.share!(h.ctx, 'cam-b1', 'u-carol');
    expect(await adapter.users.cameras(h.ctx, carol)).toEqual([{ cameraId: 'cam-a1', role: 'shared' }, { cameraId: 'cam-b1', role: 'shared' }]);
    await adapter.world!.revoke!(h.ctx, 'cam-a1', 'u-carol');
    await adapter.world!.transfer!(h.ctx, 'cam-b1', 'u-carol');
    expect(await adapter.users.cameras(h.ctx, carol)).toEqual([{ cameraId: 'cam-b1', role: 'owner' }]);
    expect(await adapter.users.cameras(h.ctx, bob)).toEqual([]);
    await expect(adapter.world!.transfer!(h.ctx, 'cam-unknown', 'u-carol')).rejects.toMatchObject({ status: 404 });
    await expect(adapter.world!.share!({ ...h.ctx, options: { adminToken: 'not-the-key' } }, 'cam-b1', 'u-bob')).rejects.toMatchObject({ status: 401 });
  });

  it('reports a camera whose broker connection is cut as dropped', async () => {
    const camA = await camera(h.ctx, cameras[0]!);
    // A second connection of the same camera (same client id) makes the broker close the first.
    const again = await camera(h.ctx, cameras[0]!);
    await camA.dropped;
    expect(camA.drops).toHaveLength(1);
    await again.connection.close();
  });
});

describe('the MQTT adapter against the cloud with mqtt-acl-wildcard', () => {
  let h: Harness;
  beforeAll(async () => void (h = await harness('mqtt-acl-wildcard')));
  afterAll(async () => {
    h?.stop.abort();
    await h?.cloud.stop();
  });

  it('pushes another user\'s event to a user whose gateway subscription the broker no longer narrows', async () => {
    const alice = await adapter.users.login(h.ctx, users[0]!);
    const bob = await adapter.users.login(h.ctx, users[1]!);
    const alicePush = await openPush(h.ctx, alice);
    const bobPush = await openPush(h.ctx, bob);
    const camA = await camera(h.ctx, cameras[0]!);
    await camA.connection.send({ eventId: 'ev-a-9', cameraId: 'cam-a1', kind: 'person', ts: Date.now(), thumbnail: jpeg('ev-a-9') });
    await alicePush.next('ev-a-9');
    const leaked = await bobPush.next('ev-a-9');
    expect(leaked.cameraId).toBe('cam-a1'); // Alice's camera, shown to Bob: the oracle's leak
    await alicePush.channel.close();
    await bobPush.channel.close();
    await camA.connection.close();
  });
});
