import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/world/generate.ts';
import { resolveWorldSpec, WorldSpecError } from '../../src/world/spec.ts';
import { minuteRun } from './fixtures.ts';

function problemsOf(input: unknown): string {
  try {
    resolveWorldSpec(input);
  } catch (error) {
    expect(error).toBeInstanceOf(WorldSpecError);
    return (error as WorldSpecError).message;
  }
  throw new Error('expected the spec to be rejected');
}

describe('world spec validation', () => {
  it('fills in the defaults', () => {
    const spec = resolveWorldSpec(minuteRun());
    expect(spec).toMatchObject({
      shareFraction: 0.1,
      stormShare: 0.8,
      graceMs: 2_000,
      transfers: undefined,
      revocations: undefined,
      timeline: { durationMs: 60_000, storm: { startMs: 20_000, endMs: 40_000 }, warmupMs: 6_000, settleMs: 6_000 },
    });
  });

  it('explains too many cameras for the users', () => {
    expect(problemsOf(minuteRun({ users: 1_000, cameras: 9_000 }))).toBe(
      'invalid world spec: cameras must be at most 4 x users (got 9000 cameras for 1000 users)',
    );
  });

  it('names each bad field, all problems on one line', () => {
    const message = problemsOf({ ...minuteRun(), users: 1.5, cameras: -3, shareFraction: 2 });
    expect(message).toContain('users must be a whole number');
    expect(message).toContain('cameras must not be negative');
    expect(message).toContain('shareFraction must be between 0 and 1');
    expect(message).not.toContain('\n');
  });

  it('explains a missing or mistyped field', () => {
    expect(problemsOf({ seed: 1, users: 2, cameras: 2 })).toBe(
      'invalid world spec: timeline (durationMs and storm: { startMs, endMs }) is required',
    );
    expect(problemsOf({ ...minuteRun(), users: '10' })).toBe('invalid world spec: users must be a number');
    expect(problemsOf({ ...minuteRun(), camera: 10 })).toMatch(/Unrecognized key.*"camera"/);
    expect(problemsOf(null)).toBe('invalid world spec: the world spec must be an object');
  });

  it('explains a timeline that does not add up', () => {
    expect(problemsOf(minuteRun({ timeline: { durationMs: 60_000, storm: { startMs: 30_000, endMs: 30_000 } } }))).toContain(
      'timeline.storm must start before it ends (got 30000 ms to 30000 ms)',
    );
    expect(problemsOf(minuteRun({ timeline: { durationMs: 60_000, storm: { startMs: 20_000, endMs: 58_000 } } }))).toContain(
      'timeline.storm must end before the settle part starts (storm ends at 58000 ms, settle starts at 54000 ms',
    );
    expect(
      problemsOf(minuteRun({ timeline: { durationMs: 60_000, storm: { startMs: 20_000, endMs: 40_000 }, settleMs: 60_000 } })),
    ).toContain('timeline.settleMs must be shorter than the run (got 60000 ms for a 60000 ms run)');
    expect(
      problemsOf(minuteRun({ timeline: { durationMs: 60_000, storm: { startMs: 20_000, endMs: 40_000 }, warmupMs: 25_000 } })),
    ).toContain('timeline.warmupMs must end by the storm start (got 25000 ms, storm starts at 20000 ms)');
  });

  it('rejects a bad seed', () => {
    expect(problemsOf(minuteRun({ seed: -1 }))).toContain('seed must not be negative');
    expect(problemsOf(minuteRun({ seed: 2 ** 60 }))).toContain('seed must be at most');
  });

  it('is what generateWorld checks before building anything', () => {
    expect(() => generateWorld(minuteRun({ users: 0 }))).toThrow('users must be at least 1');
  });
});

describe('the default settle part', () => {
  it('shrinks to what follows a late storm, never under 3 x grace', () => {
    const soak = resolveWorldSpec(minuteRun({ timeline: { durationMs: 3_600_000, storm: { startMs: 180_000, endMs: 3_420_000 } } }));
    expect(soak.timeline.settleMs).toBe(180_000);
    const tight = resolveWorldSpec(minuteRun({ timeline: { durationMs: 60_000, storm: { startMs: 20_000, endMs: 53_000 } } }));
    expect(tight.timeline.settleMs).toBe(6_000);
  });
});
