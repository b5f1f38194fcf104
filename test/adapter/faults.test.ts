/**
 * A hook that throws, or returns the wrong shape, is an adapter fault: counted in the fleet's stats and recorded
 * as an error naming the adapter and the hook, never an observation. The backend's own failures stay target errors.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/adapter/call.ts';
import { refused, targetFailed } from '../../src/adapter/define.ts';
import { referenceAdapter } from '../../src/adapter/reference/index.ts';
import type { Adapter } from '../../src/adapter/types.ts';
import { isAdapterFault } from '../../src/run/adapter-fault.ts';
import { type RunningCloud, startCloud } from '../../simulators/cloud/index.ts';
import { adminClient } from '../../simulators/protocol/admin.ts';
import { startCameraFleet } from '../../simulators/protocol/camera-fleet.ts';
import { startUserFleet } from '../../simulators/protocol/user-fleet.ts';
import { worldToSeed } from '../../src/world/seed.ts';
import { MemoryRecorder, smallWorld, until } from '../drivers/helpers/world.ts';

const world = smallWorld(2, 1);
const adminToken = randomBytes(16).toString('hex');
let cloud: RunningCloud;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, adminToken, redisUrl: 'redis://127.0.0.1:6379' });
  await adminClient(cloud.url, adminToken).seed(worldToSeed(world));
});
afterAll(async () => {
  await cloud?.stop();
});

/** The reference adapter, renamed `broken`, with some hooks replaced. */
function broken(users: Partial<Adapter<string>['users']>, devices?: Adapter<string>['devices']): Adapter<string> {
  return { ...referenceAdapter, name: 'broken', users: { ...referenceAdapter.users, ...users }, devices: devices ?? referenceAdapter.devices };
}

describe('adapter faults', () => {
  it('records a throwing hook and a wrong-shaped answer as errors naming the adapter, and counts them', async () => {
    const recorder = new MemoryRecorder();
    const adapter = broken({
      events: async () => {
        throw new TypeError('cannot read properties of undefined');
      },
      cameras: async () => [{ cameraId: 'c0-0', role: 'admin' }] as never,
    });
    const users = startUserFleet({
      adapter, endpoints: { target: cloud.url }, world, recorder, deadline: Date.now() + 20_000, maxRequests: 200, stream: false,
    });
    try {
      expect(await until(() => users.stats().adapterFaults >= 4, 15_000)).toBe(true);
    } finally {
      await users.stop();
    }
    const faults = recorder.of('error').filter(isAdapterFault);
    const sources = new Set(faults.map((record) => record.source));
    expect(sources).toEqual(new Set(['adapter broken: users.events', 'adapter broken: users.cameras']));
    expect(faults.find((r) => r.source.endsWith('users.events'))!.message).toMatch(/threw TypeError: cannot read/);
    expect(faults.find((r) => r.source.endsWith('users.cameras'))!.message).toMatch(/role admin/);
    // Nothing the broken hooks returned became an observation.
    expect(recorder.of('shown')).toEqual([]);
    expect(recorder.of('cameras')).toEqual([]);
    expect(users.stats().adapterFaults).toBe(faults.length);
  });

  it('records a connect that returns no connection as a fault of devices.connect, and the camera retries', async () => {
    const recorder = new MemoryRecorder();
    const adapter = broken({}, { connect: async () => ({ send: 'nope' }) as never });
    const cameras = startCameraFleet({
      adapter, endpoints: { target: cloud.url }, world, recorder, rate: 1, policy: { floorMs: 20, capMs: 20, jitterMs: 0 },
      key: 'k', deadline: Date.now() + 20_000, maxEvents: 10,
    });
    try {
      expect(await until(() => cameras.stats().adapterFaults >= 4, 15_000)).toBe(true);
    } finally {
      await cameras.stop();
    }
    const faults = recorder.of('error').filter(isAdapterFault);
    expect(new Set(faults.map((record) => record.source))).toEqual(new Set(['adapter broken: devices.connect']));
    expect(recorder.of('camera').filter((r) => r.state === 'welcome')).toEqual([]);
    expect(cameras.stats().adapterFaults).toBe(faults.length);
  });

  it('tells the backend\'s refusals and failures from the adapter\'s own', () => {
    expect(classifyFailure(refused(403))).toMatchObject({ kind: 'refused', status: 403 });
    expect(classifyFailure(targetFailed('answered non-JSON'))).toMatchObject({ kind: 'target' });
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toMatchObject({ kind: 'target' });
    expect(classifyFailure(new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }))).toMatchObject({ kind: 'target' });
    expect(classifyFailure(new DOMException('timed out', 'TimeoutError'))).toMatchObject({ kind: 'target' });
    expect(classifyFailure(new TypeError('x is not a function'))).toMatchObject({ kind: 'fault', message: 'threw TypeError: x is not a function' });
    expect(classifyFailure('oops')).toMatchObject({ kind: 'fault' });
  });
});
