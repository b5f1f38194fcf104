import { describe, expect, it } from 'vitest';
import { WorldSeed } from '../../src/protocol/schema.ts';
import { generateWorld } from '../../src/world/generate.ts';
import { indexWorld } from '../../src/world/lookup.ts';
import { worldToSeed } from '../../src/world/seed.ts';
import { minuteRun } from './fixtures.ts';

describe('worldToSeed', () => {
  it('is a valid PUT /v1/admin/world body carrying exactly the world\'s accounts, cameras and shares', () => {
    const world = generateWorld(minuteRun());
    const seed = worldToSeed(world);
    const parsed = WorldSeed.parse(seed);
    expect(parsed).toEqual(seed);
    expect(seed.users.map((u) => u.userId)).toEqual(world.users.map((u) => u.userId));
    expect(seed.cameras.map((c) => `${c.cameraId}:${c.ownerId}:${c.secret}`)).toEqual(
      world.cameras.map((c) => `${c.cameraId}:${c.ownerId}:${c.secret}`),
    );
    expect(seed.shares).toEqual(world.shares);
  });

  it('tells the target nothing beyond the seeding contract', () => {
    const seed = worldToSeed(generateWorld(minuteRun({ users: 3, cameras: 3 })));
    expect(Object.keys(seed).sort()).toEqual(['cameras', 'shares', 'users']);
    expect(Object.keys(seed.users[0]!).sort()).toEqual(['email', 'password', 'userId']);
    expect(Object.keys(seed.cameras[0]!).sort()).toEqual(['cameraId', 'ownerId', 'secret']);
  });
});

describe('indexWorld', () => {
  it('finds users, cameras, owned cameras and shares as the run starts', () => {
    const world = generateWorld(minuteRun({ users: 100, cameras: 250, shareFraction: 0.5 }));
    const index = indexWorld(world);
    for (const user of world.users) {
      expect(index.userById.get(user.userId)).toBe(user);
      expect(index.ownedCameras(user.userId)).toEqual(world.cameras.filter((c) => c.ownerId === user.userId));
      const shared = new Set(world.shares.filter((s) => s.userId === user.userId).map((s) => s.cameraId));
      expect(index.sharedWith(user.userId).map((c) => c.cameraId)).toEqual([...shared]);
    }
    for (const camera of world.cameras) {
      expect(index.cameraById.get(camera.cameraId)).toBe(camera);
      expect(index.sharesOf(camera.cameraId)).toEqual(world.shares.filter((s) => s.cameraId === camera.cameraId));
    }
    expect(index.ownedCameras('u-999999')).toEqual([]);
    expect(index.sharesOf('cam-999999')).toEqual([]);
  });
});
