import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/world/generate.ts';
import { WorldSpecError } from '../../src/world/spec.ts';
import type { World } from '../../src/world/types.ts';
import { minuteRun } from './fixtures.ts';
import { scheduleProblems } from './replay.ts';

const STORM = { startMs: 20_000, endMs: 40_000 };
const inStorm = (world: World) => world.changes.filter((c) => c.at >= STORM.startMs && c.at < STORM.endMs).length;

describe('access change schedule', () => {
  it('is consistent when replayed in order, across seeds and fleet shapes', () => {
    for (let seed = 0; seed < 20; seed++) {
      for (const [users, cameras] of [[500, 1_000], [4, 12], [3, 3], [2, 5], [30, 10]] as const) {
        const world = generateWorld(minuteRun({ seed, users, cameras, shareFraction: 0.5 }));
        expect(scheduleProblems(world), `seed ${seed}, ${users} users, ${cameras} cameras`).toEqual([]);
      }
    }
  });

  it('stays consistent when the changes are packed tight', () => {
    // 4 cameras, 3 slots each 6 s apart in the 20 s storm: the placer has to search, and must still never overlap.
    for (let seed = 0; seed < 10; seed++) {
      const world = generateWorld(minuteRun({ seed, users: 6, cameras: 4, shareFraction: 1, transfers: 8, revocations: 4 }));
      expect(world.changes).toHaveLength(12);
      expect(scheduleProblems(world), `seed ${seed}`).toEqual([]);
    }
  });

  it('plans about 2% of cameras transferred and a third of the shares revoked by default', () => {
    const world = generateWorld(minuteRun({ users: 1_000, cameras: 2_000 }));
    const transfers = world.changes.filter((c) => c.kind === 'transfer').length;
    const revocations = world.changes.filter((c) => c.kind === 'revoke').length;
    expect(transfers).toBe(40);
    expect(revocations).toBe(Math.round(world.shares.length / 3));
  });

  it('plans at least one transfer and one revocation in a small world', () => {
    const world = generateWorld(minuteRun({ users: 5, cameras: 10 }));
    expect(world.changes.filter((c) => c.kind === 'transfer')).toHaveLength(1);
    expect(world.changes.filter((c) => c.kind === 'revoke')).toHaveLength(1);
  });

  it('honours explicit counts', () => {
    const world = generateWorld(minuteRun({ transfers: 7, revocations: 3 }));
    expect(world.changes.filter((c) => c.kind === 'transfer')).toHaveLength(7);
    expect(world.changes.filter((c) => c.kind === 'revoke')).toHaveLength(3);
  });

  it('puts most changes in the storm, none in the warm-up or the settle part, sorted by time', () => {
    const world = generateWorld(minuteRun({ users: 2_000, cameras: 5_000 }));
    expect(world.changes.length).toBeGreaterThan(100);
    expect(inStorm(world) / world.changes.length).toBeGreaterThan(0.7);
    expect(inStorm(world)).toBeLessThan(world.changes.length);
    // Defaults for a 60 s run with 2 s grace: warm-up 6 s, settle the last 6 s.
    for (const change of world.changes) {
      expect(change.at).toBeGreaterThanOrEqual(6_000);
      expect(change.at).toBeLessThan(54_000);
      expect(Number.isInteger(change.at)).toBe(true);
    }
    const times = world.changes.map((c) => c.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('follows stormShare and an explicit settle part', () => {
    const world = generateWorld(
      minuteRun({
        cameras: 1_000,
        stormShare: 1,
        timeline: { durationMs: 60_000, storm: STORM, settleMs: 15_000 },
      }),
    );
    expect(inStorm(world)).toBe(world.changes.length);
    const spread = generateWorld(minuteRun({ stormShare: 0, timeline: { durationMs: 60_000, storm: STORM, settleMs: 15_000 } }));
    expect(inStorm(spread)).toBe(0);
    expect(Math.max(...spread.changes.map((c) => c.at))).toBeLessThan(45_000);
  });

  it('keeps two changes on one camera at least 3 x grace apart for a custom grace', () => {
    const world = generateWorld(minuteRun({ users: 6, cameras: 4, shareFraction: 1, transfers: 5, revocations: 3, graceMs: 3_000 }));
    expect(world.graceMs).toBe(3_000);
    expect(scheduleProblems(world)).toEqual([]);
  });

  it('rejects counts that cannot fit with a clear error', () => {
    expect(() => generateWorld(minuteRun({ users: 2, cameras: 2, transfers: 100 }))).toThrow(
      /100 access changes cannot fit: 2 cameras hold at most \d+ changes 6000 ms apart/,
    );
    expect(() => generateWorld(minuteRun({ shareFraction: 0, revocations: 1 }))).toThrow(
      'revocations must be at most the initial shares (got 1 revocations for 0 shares)',
    );
    expect(() => generateWorld(minuteRun({ users: 1, cameras: 2, transfers: 1 }))).toThrow(WorldSpecError);
  });
});

describe('the replay check itself', () => {
  it('catches a revocation of a share not in force, a transfer to the owner, overlap and disorder', () => {
    const world = generateWorld(minuteRun({ users: 50, cameras: 100, transfers: 2, revocations: 2 }));
    const camera = world.cameras[0]!;
    const broken = {
      ...world,
      changes: [
        { kind: 'transfer' as const, at: 30_000, cameraId: camera.cameraId, toUserId: camera.ownerId },
        { kind: 'revoke' as const, at: 31_000, cameraId: camera.cameraId, userId: camera.ownerId },
        { kind: 'transfer' as const, at: 10_000, cameraId: world.cameras[1]!.cameraId, toUserId: camera.ownerId },
      ],
    };
    const problems = scheduleProblems(broken).join('\n');
    expect(problems).toContain('to the current owner');
    expect(problems).toContain('who has no share then');
    expect(problems).toContain('within 3 x grace');
    expect(problems).toContain('not sorted');
  });
});
