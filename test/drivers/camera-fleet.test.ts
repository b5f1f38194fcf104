import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { via } from './helpers/reference.ts';
import WebSocket from 'ws';
import { UsageError } from '../../src/errors.ts';
import { digest, readProvenance, verifyThumbnail } from '../../src/world/provenance.ts';
import { type CameraFleet, type CameraFleetOptions, startCameraFleet } from '../../simulators/protocol/camera-fleet.ts';
import type { ReconnectPolicy } from '../../simulators/protocol/reconnect.ts';
import { type MiniCloud, startMiniCloud } from './helpers/mini-cloud.ts';
import { MemoryRecorder, smallWorld, until } from './helpers/world.ts';

const world = smallWorld(5, 4);
let cloud: MiniCloud;
let fleet: CameraFleet | undefined;

beforeAll(async () => {
  cloud = await startMiniCloud(world);
});
afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
  cloud.garbage = cloud.silent = cloud.holdAcks = false;
});
afterAll(async () => {
  await cloud.close();
});

function start(recorder: MemoryRecorder, overrides: Partial<CameraFleetOptions> = {}): CameraFleet {
  fleet = startCameraFleet({
    ...via(cloud.url), world, recorder, rate: 20, policy: { floorMs: 10, capMs: 10, jitterMs: 0 }, key: 'k',
    deadline: Date.now() + 30_000, maxEvents: 200, ...overrides,
  });
  return fleet;
}

describe('camera fleet', () => {
  it('connects every camera, sends events with provenance, and records each ack', async () => {
    const recorder = new MemoryRecorder();
    const cameras = start(recorder, { maxEvents: 100 });
    expect(await until(() => cameras.stats().acked >= 100)).toBe(true);
    expect(cameras.connected()).toBe(world.cameras.length);
    await cameras.stop();
    const sent = recorder.of('sent');
    expect(new Set(sent.map((record) => record.eventId)).size).toBe(100);
    expect(cameras.stats().created).toBe(100);
    expect(new Set(recorder.of('acked').map((record) => record.eventId))).toEqual(new Set(sent.map((r) => r.eventId)));
    for (const record of sent) {
      const stored = cloud.events.find((event) => event.eventId === record.eventId)!;
      const bytes = new Uint8Array(stored.thumbnail);
      expect(digest(bytes)).toBe(record.digest);
      expect(readProvenance(bytes)).toEqual({ runId: world.runId, cameraId: record.cameraId, eventId: record.eventId, check: record.check });
      expect(verifyThumbnail(bytes, 'k')).toBe(true);
      expect(record.eventId.startsWith(`${record.cameraId}.e`)).toBe(true);
    }
    expect(recorder.of('camera').filter((r) => r.state === 'welcome')).toHaveLength(world.cameras.length);
    expect(recorder.of('camera').filter((r) => r.state === 'closed')).toHaveLength(world.cameras.length);
    expect(cloud.deviceSockets()).toBe(0);
  });

  it.each<[string, ReconnectPolicy]>([
    ['a fixed wait', { floorMs: 10, capMs: 10, jitterMs: 0 }],
    ['backing off', { floorMs: 20, capMs: 200, jitterMs: 20 }],
  ])('reconnects (%s) after the server drops sockets and resends every unacknowledged event', async (_, policy) => {
    const recorder = new MemoryRecorder();
    // Acks are held from the start: on a busy machine the fleet may send all 60 before a later hold began.
    cloud.holdAcks = true;
    const cameras = start(recorder, { policy, maxEvents: 60 });
    expect(await until(() => cameras.connected() === world.cameras.length && cameras.stats().unacked >= 20)).toBe(true);
    const held = cameras.stats().unacked;
    cloud.holdAcks = false;
    cloud.dropAll();
    expect(await until(() => cameras.stats().created === 60 && cameras.stats().unacked === 0)).toBe(true);
    await cameras.stop();
    expect(cameras.stats().resent).toBeGreaterThanOrEqual(held);
    const sends = new Map<string, string[]>();
    for (const record of recorder.of('sent')) sends.set(record.eventId, [...(sends.get(record.eventId) ?? []), record.digest]);
    const resent = [...sends.values()].filter((digests) => digests.length > 1);
    expect(resent.length).toBeGreaterThanOrEqual(held);
    for (const digests of resent) expect(new Set(digests).size).toBe(1); // same bytes every time
    expect(recorder.of('camera').filter((r) => r.state === 'closed' && r.code === 1006).length).toBeGreaterThanOrEqual(world.cameras.length);
  });

  it('records a refusal on 4401 and a replacement on 4409, and takes the camera back', async () => {
    const recorder = new MemoryRecorder();
    const impostor = { ...world.cameras[0]!, secret: 'wrong' };
    const cameras = start(recorder, { cameras: [impostor, world.cameras[1]!], maxEvents: 0 });
    expect(await until(() => cameras.stats().refused >= 2 && cameras.connected() === 1)).toBe(true);
    const rival = new WebSocket(`${cloud.url.replace('http', 'ws')}/v1/device`);
    await new Promise((resolve) => rival.on('open', resolve));
    rival.send(JSON.stringify({ type: 'hello', cameraId: world.cameras[1]!.cameraId, secret: world.cameras[1]!.secret }));
    const rivalClosed = new Promise<number>((resolve) => rival.on('close', resolve));
    expect(await rivalClosed).toBe(4409); // the fleet's camera came straight back and replaced the rival
    await cameras.stop();
    const states = recorder.of('camera');
    // Refused again and again, recorded once: the rest are counted on the impostor's last record.
    const impostors = states.filter((r) => r.cameraId === impostor.cameraId);
    expect(impostors).toEqual([
      expect.objectContaining({ state: 'refused', code: 4401 }),
      expect.objectContaining({ state: 'closed', code: 1001, retries: cameras.stats().refused }),
    ]);
    expect(states.some((r) => r.state === 'closed' && r.code === 4409 && r.cameraId === world.cameras[1]!.cameraId)).toBe(true);
  });

  it('records garbage from the target as errors and keeps running', async () => {
    const recorder = new MemoryRecorder();
    cloud.garbage = true;
    const cameras = start(recorder, { maxEvents: 0 });
    expect(await until(() => recorder.of('error').length >= world.cameras.length)).toBe(true);
    expect(recorder.of('error')[0]!.message).toMatch(/unexpected device message: <<not json>>/);
    expect(cameras.connected()).toBe(0);
    await cameras.stop();
  });

  it('abandons a connect that is never welcomed and retries it', async () => {
    const recorder = new MemoryRecorder();
    cloud.silent = true;
    const cameras = start(recorder, { cameras: world.cameras.slice(0, 2), welcomeTimeoutMs: 150, maxEvents: 0 });
    expect(await until(() => cameras.stats().connects >= 6)).toBe(true);
    expect(cameras.connected()).toBe(0);
    await cameras.stop();
  });

  it('stops by itself at its deadline, promptly, with every socket closed', async () => {
    const recorder = new MemoryRecorder();
    const cameras = start(recorder, { deadline: Date.now() + 600 });
    await cameras.done;
    expect(await until(() => cloud.openConnections() === 0, 1500)).toBe(true); // before keep-alive would expire them
    await cameras.stop(); // a second stop is harmless
    expect(cameras.connected()).toBe(0);
    expect(await until(() => cloud.deviceSockets() === 0, 2000)).toBe(true);
    const sentAfter = recorder.of('sent').length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorder.of('sent').length).toBe(sentAfter);
  });

  it('goes quiet before its deadline so the last events are acknowledged before it closes', async () => {
    const recorder = new MemoryRecorder();
    const deadline = Date.now() + 1200;
    const cameras = start(recorder, { deadline, quietMs: 600, maxEvents: 10_000 });
    await cameras.done;
    const sent = recorder.of('sent');
    expect(sent.length).toBeGreaterThan(0);
    for (const record of sent) expect(record.t).toBeLessThan(deadline - 600 + 200); // slack for a tick on a busy machine
    expect(new Set(recorder.of('acked').map((r) => r.eventId))).toEqual(new Set(sent.map((r) => r.eventId)));
  });

  it('stops during an outage without waiting on dead connects, having recorded no failed connect one by one', async () => {
    const recorder = new MemoryRecorder();
    const cameras = startCameraFleet({
      ...via('http://127.0.0.1:1'), world, recorder, rate: 1, policy: { floorMs: 5, capMs: 5, jitterMs: 0 }, key: 'k',
      deadline: Date.now() + 30_000, maxEvents: 10,
    });
    expect(await until(() => cameras.stats().connects > 50)).toBe(true);
    const recordsEarly = recorder.records.length;
    expect(await until(() => cameras.stats().connects > 200)).toBe(true);
    // Over 150 more failed connects, and not one more record: a dead target costs the history nothing per retry.
    expect(recorder.records.length).toBe(recordsEarly);
    // Only the first error of a streak is recorded, and no camera state at all until the end.
    expect(recorder.of('error').length).toBeLessThanOrEqual(world.cameras.length);
    expect(recorder.of('camera')).toEqual([]);
    await cameras.stop();
    const { connects, welcomes } = cameras.stats();
    expect(welcomes).toBe(0);
    // Each camera's last record carries its count of failed connects; a connect still in flight at the stop is not one.
    const last = recorder.of('camera');
    expect(last.map((r) => r.cameraId).sort()).toEqual(world.cameras.map((c) => c.cameraId).sort());
    for (const record of last) expect(record).toMatchObject({ state: 'closed', code: 1001, retries: expect.any(Number) });
    const retries = last.reduce((sum, r) => sum + r.retries!, 0);
    expect(retries).toBeLessThanOrEqual(connects);
    expect(retries).toBeGreaterThanOrEqual(connects - world.cameras.length);
  });

  it('refuses non-loopback targets and bad options with a usage error', () => {
    const recorder = new MemoryRecorder();
    const base = { world, recorder, rate: 1, policy: { floorMs: 10, capMs: 10, jitterMs: 0 }, key: 'k', deadline: Date.now() + 1000, maxEvents: 1 };
    expect(() => startCameraFleet({ ...base, ...via('http://example.com') })).toThrow(UsageError);
    expect(() => startCameraFleet({ ...base, ...via('not a url') })).toThrow(/not a URL/);
    expect(() => startCameraFleet({ ...base, ...via(cloud.url), rate: -1 })).toThrow(UsageError);
    expect(() => startCameraFleet({ ...base, ...via(cloud.url), policy: { floorMs: 100, capMs: 10, jitterMs: 0 } })).toThrow(UsageError);
    const longId = { ...world.cameras[0]!, cameraId: 'c'.repeat(60) };
    expect(() => startCameraFleet({ ...base, ...via(cloud.url), cameras: [longId] })).toThrow(/too long for event ids/);
    expect(() => startCameraFleet({ ...base, ...via(cloud.url), world: { ...world, runId: 'run-été' } })).toThrow(/printable ASCII/);
  });
});
