/**
 * The drivers against the reference cloud (with its Redis cache): 50 cameras and 20 users for a few seconds, then
 * the recorded history is checked for what a correct cloud must have produced.
 */
import { randomBytes } from 'node:crypto';
import { via } from './helpers/reference.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCloud, startCloud } from '../../simulators/cloud/index.ts';
import { adminClient } from '../../simulators/protocol/admin.ts';
import { startCameraFleet } from '../../simulators/protocol/camera-fleet.ts';
import { RecentEvents } from '../../simulators/protocol/recent-events.ts';
import { startUserFleet } from '../../simulators/protocol/user-fleet.ts';
import { generateWorld } from '../../src/world/generate.ts';
import { worldToSeed } from '../../src/world/seed.ts';
import { MemoryRecorder } from './helpers/world.ts';

const world = generateWorld({
  seed: 7, users: 20, cameras: 50, shareFraction: 0.2, transfers: 0, revocations: 0,
  timeline: { durationMs: 60_000, storm: { startMs: 20_000, endMs: 40_000 } },
});
const adminToken = randomBytes(16).toString('hex');
let cloud: RunningCloud;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, adminToken, redisUrl: 'redis://127.0.0.1:6379' });
  await adminClient(cloud.url, adminToken).seed(worldToSeed(world));
});
afterAll(async () => {
  await cloud?.stop();
});

describe('drivers against the reference cloud', () => {
  it('runs 50 cameras and 20 users and records a history a correct cloud explains', async () => {
    expect(world.changes).toEqual([]); // access is the initial ownership and shares throughout
    const recorder = new MemoryRecorder();
    const recent = new RecentEvents(512);
    const deadline = Date.now() + 5000;
    const users = startUserFleet({
      ...via(cloud.url), world, recorder, recent, deadline, maxRequests: 20_000,
      pollMs: 300, camerasMs: 1000, tapMs: 200, probeMs: 400,
    });
    const cameras = startCameraFleet({
      ...via(cloud.url), world, recorder, recent, deadline: deadline - 500, quietMs: 1500, rate: 2,
      policy: { floorMs: 50, capMs: 1000, jitterMs: 50 }, key: 'e2e-key', maxEvents: 2000,
    });
    await Promise.all([cameras.done, users.done]);

    expect(recorder.of('error')).toEqual([]);
    const sent = new Map(recorder.of('sent').map((record) => [record.eventId, record]));
    const acked = new Set(recorder.of('acked').map((record) => record.eventId));
    expect(sent.size).toBeGreaterThan(100);
    expect(acked).toEqual(new Set(sent.keys()));

    const access = new Map<string, Set<string>>(world.cameras.map((camera) => [camera.cameraId, new Set([camera.ownerId])]));
    for (const share of world.shares) access.get(share.cameraId)!.add(share.userId);
    const shownTo = new Map<string, Set<string>>();
    for (const record of recorder.of('shown')) {
      for (const event of record.events) {
        expect(access.get(event.cameraId)!.has(record.userId)).toBe(true);
        expect(sent.has(event.eventId)).toBe(true);
        shownTo.set(record.userId, (shownTo.get(record.userId) ?? new Set()).add(event.eventId));
      }
    }
    // Every user with a camera that sent something was shown all of it by the end (list catch-up included).
    for (const user of world.users) {
      const theirs = [...sent.values()].filter((record) => access.get(record.cameraId)!.has(user.userId));
      for (const record of theirs) expect(shownTo.get(user.userId)?.has(record.eventId)).toBe(true);
    }
    expect(recorder.of('shown').some((record) => record.surface === 'stream')).toBe(true);

    const thumbnails = recorder.of('thumbnail');
    const taps = thumbnails.filter((record) => !record.probe);
    expect(taps.length).toBeGreaterThan(20);
    for (const tap of taps) {
      const origin = sent.get(tap.eventId)!;
      expect(tap.status).toBe(200);
      expect(tap.digest).toBe(origin.digest);
      expect(tap.provenance).toEqual({ runId: world.runId, cameraId: origin.cameraId, eventId: tap.eventId, check: origin.check });
    }
    const probes = thumbnails.filter((record) => record.probe);
    expect(probes.length).toBeGreaterThan(10);
    for (const probe of probes) {
      expect(access.get(probe.cameraId!)!.has(probe.userId)).toBe(false);
      expect(probe.status).toBe(404);
    }
    expect(recorder.of('cameras').length).toBeGreaterThan(0);
  });
});
