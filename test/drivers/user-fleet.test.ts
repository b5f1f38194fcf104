import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { via } from './helpers/reference.ts';
import { UsageError } from '../../src/errors.ts';
import { type CameraFleet, startCameraFleet } from '../../simulators/protocol/camera-fleet.ts';
import { RecentEvents } from '../../simulators/protocol/recent-events.ts';
import { type UserFleet, type UserFleetOptions, startUserFleet } from '../../simulators/protocol/user-fleet.ts';
import { type MiniCloud, startMiniCloud } from './helpers/mini-cloud.ts';
import { MemoryRecorder, smallWorld, until } from './helpers/world.ts';

const world = smallWorld(6, 2);
let cloud: MiniCloud;
let users: UserFleet | undefined;
let cameras: CameraFleet | undefined;

beforeAll(async () => {
  cloud = await startMiniCloud(world);
});
afterEach(async () => {
  await Promise.all([users?.stop(), cameras?.stop()]);
  users = cameras = undefined;
  cloud.garbage = cloud.wrongShape = false;
});
afterAll(async () => {
  await cloud.close();
});

function startUsers(recorder: MemoryRecorder, overrides: Partial<UserFleetOptions> = {}): UserFleet {
  users = startUserFleet({
    ...via(cloud.url), world, recorder, deadline: Date.now() + 30_000, maxRequests: 5000,
    pollMs: 100, camerasMs: 200, tapMs: 100, probeMs: 100, streamBackoff: { baseMs: 20, capMs: 200 }, ...overrides,
  });
  return users;
}

function startCameras(recorder: MemoryRecorder, recent?: RecentEvents): CameraFleet {
  cameras = startCameraFleet({
    ...via(cloud.url), world, recorder, rate: 10, policy: { floorMs: 10, capMs: 10, jitterMs: 0 }, key: 'k',
    deadline: Date.now() + 30_000, maxEvents: 300, recent,
  });
  return cameras;
}

describe('user fleet', () => {
  it('logs in, is shown its own events by list and stream, taps thumbnails and probes others', async () => {
    const recorder = new MemoryRecorder();
    const recent = new RecentEvents(256);
    const fleet = startUsers(recorder, { recent });
    expect(await until(() => fleet.stats().streamsOpen === world.users.length)).toBe(true);
    const devices = startCameras(recorder, recent);
    expect(await until(() => fleet.stats().thumbnails >= 20 && fleet.stats().probes >= 10 && fleet.stats().streamMessages >= 50)).toBe(true);
    await Promise.all([fleet.stop(), devices.stop()]);

    const ownerOf = new Map(world.cameras.map((camera) => [camera.cameraId, camera.ownerId]));
    const shown = recorder.of('shown');
    expect(shown.some((record) => record.surface === 'list' && record.events.length > 0)).toBe(true);
    expect(shown.some((record) => record.surface === 'stream')).toBe(true);
    for (const record of shown) for (const event of record.events) expect(ownerOf.get(event.cameraId)).toBe(record.userId);
    expect(recorder.of('cameras').length).toBeGreaterThan(0);

    const sentDigest = new Map(recorder.of('sent').map((record) => [record.eventId, record]));
    const taps = recorder.of('thumbnail').filter((record) => !record.probe);
    for (const tap of taps) {
      expect(tap.status).toBe(200);
      const sent = sentDigest.get(tap.eventId)!;
      expect(tap.digest).toBe(sent.digest);
      expect(tap.provenance).toEqual({ runId: world.runId, cameraId: sent.cameraId, eventId: tap.eventId, check: sent.check });
    }
    const probes = recorder.of('thumbnail').filter((record) => record.probe);
    for (const probe of probes) {
      expect(ownerOf.get(probe.cameraId!)).not.toBe(probe.userId);
      expect(probe.status).toBe(404);
    }
    expect(recorder.of('error')).toEqual([]);
  });

  it('reopens the stream after the server drops it and catches up through the list', async () => {
    const recorder = new MemoryRecorder();
    const fleet = startUsers(recorder, { pollMs: 60_000, tapMs: 60_000, camerasMs: 60_000, probeMs: 0 });
    expect(await until(() => fleet.stats().streamsOpen === world.users.length)).toBe(true);
    const pagesBefore = fleet.stats().pages;
    cloud.dropAll();
    expect(await until(() => recorder.of('user').filter((r) => r.state === 'stream-open').length >= 2 * world.users.length)).toBe(true);
    // Each reopened stream is followed by a catch-up page even though the poll interval is a minute.
    expect(await until(() => fleet.stats().pages >= pagesBefore + world.users.length)).toBe(true);
    await fleet.stop();
    const closed = recorder.of('user').filter((r) => r.state === 'stream-closed');
    expect(closed.filter((r) => r.code === 1006).length).toBeGreaterThanOrEqual(world.users.length);
  });

  it('logs in again when its token is refused', async () => {
    const recorder = new MemoryRecorder();
    const fleet = startUsers(recorder, { stream: false });
    expect(await until(() => fleet.stats().logins === world.users.length && fleet.stats().pages >= world.users.length)).toBe(true);
    cloud.forgetTokens();
    expect(await until(() => fleet.stats().logins >= 2 * world.users.length)).toBe(true);
    await fleet.stop();
  });

  it('records a wrong password as a failed login and keeps retrying within its budget', async () => {
    const recorder = new MemoryRecorder();
    const stranger = { ...world.users[0]!, password: 'nope' };
    const fleet = startUsers(recorder, { users: [stranger], maxRequests: 5 });
    // A request counts when it starts and fails when its answer comes: wait for the failures, not the requests.
    expect(await until(() => fleet.stats().failedAttempts === 5)).toBe(true);
    await fleet.stop();
    expect(fleet.stats().requests).toBe(5);
    // One record for the refusal, one at the stop carrying the retries: none per try.
    const failed = recorder.of('user').filter((r) => r.state === 'login-failed');
    expect(failed).toEqual([expect.objectContaining({ code: 401 }), expect.objectContaining({ retries: 5 })]);
    expect(failed[1]!.code).toBeUndefined();
  });

  it('turns garbage answers into error records, never a crash', async () => {
    const recorder = new MemoryRecorder();
    cloud.garbage = true;
    const fleet = startUsers(recorder, { stream: false });
    expect(await until(() => recorder.of('error').length >= world.users.length)).toBe(true);
    await fleet.stop();
    expect(recorder.of('error')[0]!.message).toMatch(/POST \/v1\/login answered non-JSON: <html>oops/);
    expect(fleet.stats().logins).toBe(0);
  });

  it('records answers of the wrong shape, on every surface, as errors', async () => {
    const recorder = new MemoryRecorder();
    const fleet = startUsers(recorder);
    expect(await until(() => fleet.stats().streamsOpen === world.users.length && fleet.stats().pages >= world.users.length)).toBe(true);
    cloud.wrongShape = true;
    const devices = startCameras(recorder);
    const messages = () => recorder.of('error').map((record) => `${record.source}: ${record.message}`);
    expect(await until(() => ['user.events', 'user.cameras', 'user.stream'].every((source) => messages().some((m) => m.startsWith(source))))).toBe(true);
    await Promise.all([fleet.stop(), devices.stop()]);
    expect(messages().find((m) => m.startsWith('user.events'))).toMatch(/GET \/v1\/events answered the wrong shape/);
    expect(messages().find((m) => m.startsWith('user.stream'))).toMatch(/unexpected stream message: \{"type":"event","event":\{"eventId":42\}\}/);
  });

  it('stops at its deadline, with streams and connections closed', async () => {
    const recorder = new MemoryRecorder();
    const fleet = startUsers(recorder, { deadline: Date.now() + 700 });
    await fleet.done;
    await fleet.stop();
    // Keep-alive connections and streams are all gone: the server sees no connection left.
    expect(await until(() => cloud.openConnections() === 0, 1500)).toBe(true); // before keep-alive would expire them
    const closedAt = recorder.records.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(recorder.records.length).toBe(closedAt);
    expect(recorder.of('user').filter((r) => r.state === 'stream-closed')).toHaveLength(
      recorder.of('user').filter((r) => r.state === 'stream-open').length,
    );
  });

  it('refuses non-loopback targets and bad options with a usage error', () => {
    const recorder = new MemoryRecorder();
    const base = { world, recorder, deadline: Date.now() + 1000, maxRequests: 1 };
    expect(() => startUserFleet({ ...base, ...via('http://10.0.0.8:80') })).toThrow(UsageError);
    expect(() => startUserFleet({ ...base, ...via(cloud.url), pageLimit: 501 })).toThrow(/pageLimit/);
    expect(() => startUserFleet({ ...base, ...via(cloud.url), pollMs: Number.NaN })).toThrow(UsageError);
  });
});
