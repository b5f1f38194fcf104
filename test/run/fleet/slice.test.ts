/**
 * How a split fleet is cut and checked: for any number of workers every camera and user of a world is in exactly
 * one slice, and the run's coverage check fails a tally that overlaps another or leaves a client out.
 */
import { describe, expect, it } from 'vitest';
import { checkCoverage, sliceOf, type ClaimedSlice } from '../../../src/run/fleet/slice.ts';
import { generateWorld } from '../../../src/world/generate.ts';

const world = generateWorld({ seed: 5, cameras: 23, users: 11, timeline: { durationMs: 60_000, storm: { startMs: 20_000, endMs: 40_000 }, settleMs: 20_000 } });

function claims(count: number): ClaimedSlice[] {
  return Array.from({ length: count }, (_, worker) => {
    const slice = sliceOf(world, worker, count);
    return { worker, cameras: slice.cameraIndices, users: slice.userIndices };
  });
}

describe('slices of the fleet', () => {
  for (let count = 1; count <= 7; count++) {
    it(`with ${count} workers, every camera and user is in exactly one slice`, () => {
      const cameras = new Map<string, number>();
      const users = new Map<string, number>();
      for (let worker = 0; worker < count; worker++) {
        const slice = sliceOf(world, worker, count);
        expect(slice.cameras.map((camera) => camera.cameraId)).toEqual(slice.cameraIndices.map((k) => world.cameras[k]!.cameraId));
        for (const camera of slice.cameras) cameras.set(camera.cameraId, (cameras.get(camera.cameraId) ?? 0) + 1);
        for (const user of slice.users) users.set(user.userId, (users.get(user.userId) ?? 0) + 1);
      }
      expect([...cameras.keys()].sort()).toEqual(world.cameras.map((camera) => camera.cameraId).sort());
      expect([...users.keys()].sort()).toEqual(world.users.map((user) => user.userId).sort());
      expect([...cameras.values(), ...users.values()].every((times) => times === 1)).toBe(true);
      expect(checkCoverage(world, claims(count), count)).toEqual([]);
    });
  }

  it('fails a tally that claims a client another worker simulated, naming both workers', () => {
    const doctored = claims(3);
    doctored[2] = { ...doctored[2]!, cameras: [...doctored[2]!.cameras, 0] };
    const problems = checkCoverage(world, doctored, 3);
    expect(problems).toEqual([`1 cameras were simulated twice (${world.cameras[0]!.cameraId} by worker 1 of 3 and worker 3 of 3)`]);
  });

  it('fails a tally that leaves clients out, naming them', () => {
    const doctored = claims(3);
    doctored[1] = { ...doctored[1]!, users: doctored[1]!.users.slice(1) };
    const missing = world.users[doctored[1]!.users[0]! - 3]!; // worker 2 of 3 had users 1, 4, 7...: it dropped user 1
    expect(missing).toBe(world.users[1]);
    expect(checkCoverage(world, doctored, 3)).toEqual([`1 users were simulated by no worker (${world.users[1]!.userId})`]);
  });

  it('fails claims of clients the world does not have', () => {
    const doctored = claims(2);
    doctored[0] = { ...doctored[0]!, users: [...doctored[0]!.users, 99] };
    expect(checkCoverage(world, doctored, 2)).toEqual(['workers claimed 1 users the world does not have (index 99)']);
  });
});
