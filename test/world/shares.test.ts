import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/world/generate.ts';
import { minuteRun } from './fixtures.ts';

describe('initial shares', () => {
  it('shares about 10% of cameras by default, with one or two recipients each', () => {
    const world = generateWorld(minuteRun({ users: 1_000, cameras: 2_000 }));
    const perCamera = new Map<string, number>();
    for (const share of world.shares) perCamera.set(share.cameraId, (perCamera.get(share.cameraId) ?? 0) + 1);
    expect(perCamera.size).toBe(200);
    expect(new Set(perCamera.values())).toEqual(new Set([1, 2]));
  });

  it('never shares a camera with its owner, nor twice with one user', () => {
    const world = generateWorld(minuteRun({ users: 20, cameras: 60, shareFraction: 1 }));
    const owner = new Map(world.cameras.map((c) => [c.cameraId, c.ownerId]));
    const users = new Set(world.users.map((u) => u.userId));
    for (const share of world.shares) {
      expect(share.userId).not.toBe(owner.get(share.cameraId));
      expect(users.has(share.userId)).toBe(true);
    }
    const keys = world.shares.map((s) => `${s.cameraId}/${s.userId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(world.shares.map((s) => s.cameraId)).size).toBe(60);
  });

  it('follows shareFraction, including none at all', () => {
    expect(generateWorld(minuteRun({ shareFraction: 0 })).shares).toEqual([]);
    const cameras = new Set(generateWorld(minuteRun({ cameras: 1_000, shareFraction: 0.25 })).shares.map((s) => s.cameraId));
    expect(cameras.size).toBe(250);
  });

  it('shares nothing in a one-user world, where there is nobody to share with', () => {
    const world = generateWorld(minuteRun({ users: 1, cameras: 4, shareFraction: 1 }));
    expect(world.shares).toEqual([]);
    expect(world.changes).toEqual([]);
  });
});
