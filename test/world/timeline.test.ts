import { describe, expect, it } from 'vitest';
import { AccessTimeline, TimelineError } from '../../src/world/timeline.ts';
import { access, GRACE, T, tinyWorld } from '../oracle/fixtures.ts';

const at = (ms: number) => T + ms;

describe('AccessTimeline', () => {
  it('answers from the initial owners and shares when nothing changes', () => {
    const timeline = new AccessTimeline(tinyWorld());
    expect(timeline.access('alice', 'camA', at(0), at(1e6))).toBe('yes');
    expect(timeline.access('carol', 'camA', at(0), at(1e6))).toBe('yes');
    expect(timeline.access('bob', 'camA', at(0), at(1e6))).toBe('no');
    expect(timeline.owner('alice', 'camA', at(0), at(1))).toBe('yes');
    expect(timeline.owner('carol', 'camA', at(0), at(1))).toBe('no');
    expect(timeline.access('alice', 'nope', at(0), at(1))).toBe('no');
  });

  it('a revoke is uncertain within the grace window around its admin call, and sure outside', () => {
    const timeline = new AccessTimeline(tinyWorld(), [access({ kind: 'revoke', cameraId: 'camA', userId: 'carol' }, 10_000, 10_100)]);
    expect(timeline.access('carol', 'camA', at(0), at(10_000 - GRACE - 1))).toBe('yes');
    expect(timeline.access('carol', 'camA', at(10_000 - GRACE), at(10_000 - GRACE))).toBe('either');
    expect(timeline.access('carol', 'camA', at(10_050), at(10_050))).toBe('either');
    expect(timeline.access('carol', 'camA', at(10_100 + GRACE - 1), at(10_100 + GRACE - 1))).toBe('either');
    expect(timeline.access('carol', 'camA', at(10_100 + GRACE), at(50_000))).toBe('no');
    // An interval that spans the change is neither surely yes nor surely no.
    expect(timeline.access('carol', 'camA', at(0), at(50_000))).toBe('either');
    // The owner is untouched by someone else's revoke: no window for her.
    expect(timeline.access('alice', 'camA', at(0), at(50_000))).toBe('yes');
  });

  it('a transfer moves ownership and access, and keeps the shares', () => {
    const timeline = new AccessTimeline(tinyWorld(), [access({ kind: 'transfer', cameraId: 'camA', toUserId: 'bob' }, 10_000, 10_100)]);
    expect(timeline.access('alice', 'camA', at(20_000), at(20_000))).toBe('no');
    expect(timeline.access('bob', 'camA', at(20_000), at(20_000))).toBe('yes');
    expect(timeline.owner('bob', 'camA', at(20_000), at(20_000))).toBe('yes');
    expect(timeline.access('bob', 'camA', at(0), at(5_000))).toBe('no');
    expect(timeline.access('carol', 'camA', at(0), at(50_000))).toBe('yes');
    expect(timeline.camera('camA')!.ownersDuring(at(0), at(1000))).toEqual(['alice']);
    expect(timeline.camera('camA')!.ownersDuring(at(9_000), at(9_000)).sort()).toEqual(['alice', 'bob']);
  });

  it('a failed admin call leaves both answers open until a later certain change settles it', () => {
    const timeline = new AccessTimeline(tinyWorld(), [
      access({ kind: 'share', cameraId: 'camB', userId: 'carol' }, 10_000, 10_100, false),
      access({ kind: 'revoke', cameraId: 'camB', userId: 'carol' }, 30_000, 30_100),
    ]);
    expect(timeline.access('carol', 'camB', at(0), at(10_000 - GRACE - 1))).toBe('no');
    expect(timeline.access('carol', 'camB', at(20_000), at(20_000))).toBe('either');
    expect(timeline.access('carol', 'camB', at(40_000), at(40_000))).toBe('no');
  });

  it('admin calls on one camera that overlap in time may have landed in either order', () => {
    const timeline = new AccessTimeline(tinyWorld(), [
      access({ kind: 'share', cameraId: 'camB', userId: 'carol' }, 10_000, 10_500),
      access({ kind: 'revoke', cameraId: 'camB', userId: 'carol' }, 10_200, 10_300),
    ]);
    expect(timeline.access('carol', 'camB', at(40_000), at(40_000))).toBe('either');
  });

  it('gives the same answers whatever order the access records arrive in', () => {
    const records = [
      access({ kind: 'share', cameraId: 'camB', userId: 'alice' }, 10_000, 10_100),
      access({ kind: 'revoke', cameraId: 'camB', userId: 'alice' }, 20_000, 20_100),
    ];
    const forward = new AccessTimeline(tinyWorld(), records);
    const backward = new AccessTimeline(tinyWorld(), [...records].reverse());
    for (const ms of [0, 9_000, 15_000, 19_000, 25_000]) {
      expect(backward.access('alice', 'camB', at(ms), at(ms))).toBe(forward.access('alice', 'camB', at(ms), at(ms)));
    }
    expect(forward.access('alice', 'camB', at(15_000), at(15_000))).toBe('yes');
    expect(forward.access('alice', 'camB', at(25_000), at(25_000))).toBe('no');
  });

  it('refuses an access change for a camera, or a share for a user, the world does not have', () => {
    expect(() => new AccessTimeline(tinyWorld(), [access({ kind: 'revoke', cameraId: 'ghost', userId: 'bob' }, 1, 2)])).toThrow(TimelineError);
    expect(() => new AccessTimeline(tinyWorld({ shares: [{ cameraId: 'camA', userId: 'mallory' }] }))).toThrow(/mallory/);
  });

  it('knows the cameras only their owner ever sees, until a change says otherwise', () => {
    const timeline = new AccessTimeline(tinyWorld());
    expect(timeline.soloUser(timeline.camera('camB')!.number)).toBe(timeline.userNumber('bob'));
    expect(timeline.soloUser(timeline.camera('camA')!.number)).toBe(-1); // shared with carol
    timeline.apply(access({ kind: 'transfer', cameraId: 'camB', toUserId: 'alice' }, 1000, 1100) as Parameters<AccessTimeline['apply']>[0]);
    expect(timeline.soloUser(timeline.camera('camB')!.number)).toBe(-1);
  });

  it('answers by user number as by user id', () => {
    const timeline = new AccessTimeline(tinyWorld());
    const camA = timeline.camera('camA')!;
    expect(timeline.userNumber('carol')).toBe(2);
    expect(timeline.userNumber('mallory')).toBe(-1);
    expect(camA.userAt(2).access(at(0), at(1))).toBe('yes');
    expect(camA.userAt(1).access(at(0), at(1))).toBe('no');
    expect([...camA.users()].sort()).toEqual(['alice', 'carol']);
  });
});
