import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/world/generate.ts';
import type { World } from '../../src/world/types.ts';
import { minuteRun } from './fixtures.ts';

function ownedCounts(world: World): number[] {
  const owned = new Map(world.users.map((u) => [u.userId, 0]));
  for (const camera of world.cameras) owned.set(camera.ownerId, (owned.get(camera.ownerId) ?? 0) + 1);
  return world.users.map((u) => owned.get(u.userId)!);
}

function histogram(counts: number[]): number[] {
  const bins = [0, 0, 0, 0, 0];
  for (const n of counts) bins[n]! += 1;
  return bins;
}

describe('camera ownership', () => {
  it('has every camera owned by a known user and every user owning 1 to 4', () => {
    const world = generateWorld(minuteRun({ users: 1_000, cameras: 2_000 }));
    const users = new Set(world.users.map((u) => u.userId));
    expect(world.cameras.every((c) => users.has(c.ownerId))).toBe(true);
    const counts = ownedCounts(world);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(4);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2_000);
  });

  it('is skewed: most users own one or two cameras, some three or four', () => {
    const bins = histogram(ownedCounts(generateWorld(minuteRun({ users: 1_000, cameras: 2_000 }))));
    expect(bins[1]! + bins[2]!).toBeGreaterThan(600);
    expect(bins[3]! + bins[4]!).toBeGreaterThan(100);
    expect(bins[1]!).toBeGreaterThan(bins[2]!);
    expect(bins[2]!).toBeGreaterThan(bins[3]!);
    expect(bins[3]!).toBeGreaterThan(bins[4]!);
  });

  it('hits the camera total exactly across ratios', () => {
    for (const [users, cameras] of [[7, 7], [7, 8], [100, 101], [100, 250], [100, 399], [100, 400], [3, 11]] as const) {
      const counts = ownedCounts(generateWorld(minuteRun({ users, cameras })));
      expect(counts.reduce((a, b) => a + b, 0), `${users} users / ${cameras} cameras`).toBe(cameras);
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...counts)).toBeLessThanOrEqual(4);
    }
  });

  it('gives everyone four cameras at the 4 x users limit', () => {
    expect(new Set(ownedCounts(generateWorld(minuteRun({ users: 50, cameras: 200 }))))).toEqual(new Set([4]));
  });

  it('leaves some users owning nothing when there are fewer cameras than users', () => {
    const counts = ownedCounts(generateWorld(minuteRun({ users: 100, cameras: 60 })));
    expect(histogram(counts)).toEqual([40, 60, 0, 0, 0]);
  });
});
