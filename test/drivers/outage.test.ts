/**
 * The drivers through a real Toxiproxy in front of the reference cloud: an outage (the proxy disabled, every
 * connection cut and refused) and a heal. Cameras storm back and resend, users reopen streams and catch up.
 */
import { randomBytes } from 'node:crypto';
import { via } from './helpers/reference.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCloud, startCloud } from '../../simulators/cloud/index.ts';
import { adminClient } from '../../simulators/protocol/admin.ts';
import { startCameraFleet } from '../../simulators/protocol/camera-fleet.ts';
import { startUserFleet } from '../../simulators/protocol/user-fleet.ts';
import { ToxiproxyClient } from '../../src/chaos/toxiproxy.ts';
import { startToxiproxy, type ToxiproxyServer } from '../../src/services/toxiproxy-server.ts';
import { generateWorld } from '../../src/world/generate.ts';
import { worldToSeed } from '../../src/world/seed.ts';
import { MemoryRecorder, until } from './helpers/world.ts';

const world = generateWorld({
  seed: 11, users: 10, cameras: 30, shareFraction: 0, transfers: 0, revocations: 0,
  timeline: { durationMs: 60_000, storm: { startMs: 20_000, endMs: 40_000 } },
});
const adminToken = randomBytes(16).toString('hex');
const proxyName = `drivers-${process.pid}-${randomBytes(3).toString('hex')}`;
let cloud: RunningCloud;
let toxiproxy: ToxiproxyServer;
let proxies: ToxiproxyClient;
let target: string;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, adminToken, redisUrl: 'redis://127.0.0.1:6379' });
  await adminClient(cloud.url, adminToken).seed(worldToSeed(world));
  toxiproxy = await startToxiproxy();
  proxies = new ToxiproxyClient(toxiproxy.url, 5000);
  const proxy = await proxies.createProxy({ name: proxyName, upstream: `127.0.0.1:${cloud.port}` });
  target = `http://${proxy.listen}`;
});
afterAll(async () => {
  await proxies?.deleteProxy(proxyName).catch(() => undefined);
  await toxiproxy?.stop();
  await cloud?.stop();
});

describe('drivers through an outage', () => {
  it('reconnect after the outage heals, resend what was not acknowledged, and catch users up', async () => {
    const recorder = new MemoryRecorder();
    const deadline = Date.now() + 30_000;
    /** Connects made between the last camera dropping and the heal: all failed, bar any in flight at the heal. */
    let failedInOutage = 0;
    /** Stream opens that had failed by the heal: the apps retried through the outage too. */
    let streamsFailedInOutage = 0;
    const cameras = startCameraFleet({
      ...via(target), world, recorder, deadline, rate: 5, policy: { floorMs: 20, capMs: 20, jitterMs: 0 }, key: 'k', maxEvents: 400,
    });
    const users = startUserFleet({
      ...via(target), world, recorder, deadline, maxRequests: 10_000, pollMs: 500, tapMs: 1000, probeMs: 0,
      streamBackoff: { baseMs: 50, capMs: 500 },
    });
    try {
      expect(await until(() => cameras.connected() === world.cameras.length && users.stats().streamsOpen === world.users.length)).toBe(true);
      expect(await until(() => cameras.stats().acked >= 50)).toBe(true);
      await proxies.setEnabled(proxyName, false);
      expect(await until(() => cameras.connected() === 0)).toBe(true);
      const connectsInOutage = cameras.stats().connects;
      const recordsInOutage = recorder.records.length;
      // The storm: every camera keeps trying, and the history does not grow with its tries: no camera record, and
      // at most the first error of each camera's streak.
      expect(await until(() => cameras.stats().connects >= connectsInOutage + 3 * world.cameras.length)).toBe(true);
      // So do the apps, and their tries cost no record either: at most the close of each stream that was open.
      expect(await until(() => users.stats().failedAttempts >= 3 * world.users.length)).toBe(true);
      const since = recorder.records.slice(recordsInOutage);
      expect(since.filter((r) => r.type === 'camera')).toEqual([]);
      expect(since.filter((r) => r.type === 'error' && r.source === 'camera').length).toBeLessThanOrEqual(world.cameras.length);
      const userRecords = since.filter((r) => r.type === 'user');
      expect(userRecords.filter((r) => r.state !== 'stream-closed' || r.retries !== undefined)).toEqual([]);
      expect(userRecords.length).toBeLessThanOrEqual(world.users.length);
      failedInOutage = cameras.stats().connects - connectsInOutage;
      streamsFailedInOutage = users.stats().failedAttempts;
      await proxies.setEnabled(proxyName, true);
      expect(await until(() => cameras.stats().created === 400 && cameras.stats().unacked === 0, 20_000)).toBe(true);
      expect(await until(() => users.stats().streamsOpen === world.users.length)).toBe(true);
      const sentIds = new Set(recorder.of('sent').map((record) => record.eventId));
      const shownTo = (userId: string) => new Set(recorder.of('shown').filter((r) => r.userId === userId).flatMap((r) => r.events.map((e) => e.eventId)));
      const ownerOf = new Map(world.cameras.map((camera) => [camera.cameraId, camera.ownerId]));
      // Every user is eventually shown every event of their cameras, the ones sent during the outage included.
      expect(
        await until(() => world.users.every((user) => {
          const shown = shownTo(user.userId);
          return [...sentIds].every((eventId) => ownerOf.get(eventId.slice(0, eventId.lastIndexOf('.e'))) !== user.userId || shown.has(eventId));
        }), 10_000),
      ).toBe(true);
    } finally {
      await Promise.all([cameras.stop(), users.stop()]);
    }
    const acked = new Set(recorder.of('acked').map((record) => record.eventId));
    expect(acked).toEqual(new Set(recorder.of('sent').map((record) => record.eventId)));
    const welcomes = recorder.of('camera').filter((r) => r.state === 'welcome');
    expect(welcomes.length).toBeGreaterThanOrEqual(2 * world.cameras.length);
    // Each camera's welcome after the heal counts the connects that failed in the outage, which were not recorded.
    const retried = welcomes.filter((r) => r.retries !== undefined);
    expect(new Set(retried.map((r) => r.cameraId)).size).toBe(world.cameras.length);
    expect(retried.reduce((sum, r) => sum + r.retries!, 0)).toBeGreaterThanOrEqual(failedInOutage - world.cameras.length);
    // Each user's stream, reopened after the heal, counts the opens that failed in the outage.
    const reopened = recorder.of('user').filter((r) => r.state === 'stream-open' && r.retries !== undefined);
    expect(new Set(reopened.map((r) => r.userId)).size).toBe(world.users.length);
    expect(reopened.reduce((sum, r) => sum + r.retries!, 0)).toBeGreaterThanOrEqual(streamsFailedInOutage);
    for (const record of recorder.of('shown')) {
      for (const event of record.events) expect(world.cameras.find((c) => c.cameraId === event.cameraId)!.ownerId).toBe(record.userId);
    }
  });
});
