import { describe, expect, it } from 'vitest';
import { EventIndex } from '../../src/oracle/event-index.ts';
import { EventBook } from '../../src/oracle/events.ts';
import { judge } from '../../src/oracle/judge.ts';
import { AccessTimeline } from '../../src/world/timeline.ts';
import type { HistoryRecord } from '../../src/world/history.ts';
import { access, emit, shown, T, thumbnail, tinyWorld } from './fixtures.ts';

const world = tinyWorld();
// Short enough to release within a literal history; the horizon must exceed settle plus grace (1000 + 2000).
const short = { settleMs: 1000, horizonMs: 10_000, minThumbnails: 0 };

/** A clean start: e1 on camA (alice's, shared with carol) delivered to alice, then the clock moves on. */
function aged(): HistoryRecord[] {
  return [...emit('camA', 'e1', 1000), shown('stream', 'alice', 1080, [['e1', 'camA']]), ...emit('camB', 'late-clock', 30_000)];
}

describe('EventIndex', () => {
  it('finds every id still held after deletions in any order (backward shift keeps probe chains whole)', () => {
    const ids: string[] = [];
    const hashes: number[] = [];
    const index = new EventIndex((n) => ids[n]!, 4);
    for (let n = 0; n < 5000; n++) {
      ids.push(`cam${n % 7}.e${n}`);
      expect(index.find(ids[n]!)).toBe(-1);
      hashes.push(index.insert(ids[n]!, n));
    }
    for (let n = 0; n < 5000; n += 3) index.delete(hashes[n]!, n);
    for (let n = 0; n < 5000; n++) expect(index.find(ids[n]!)).toBe(n % 3 === 0 ? -1 : n);
    expect(index.size).toBe(5000 - 1667);
  });
});

describe('EventBook release', () => {
  it('forgets the oldest event but keeps numbering and the rest intact, across ring growth', () => {
    const timeline = new AccessTimeline(world);
    const book = new EventBook(timeline);
    const camA = timeline.camera('camA')!;
    for (let i = 0; i < 3000; i++) book.add(`e${i}`, camA.number, i, `d${i}`, `c${i}`);
    for (let i = 0; i < 1000; i++) book.releaseOldest();
    for (let i = 3000; i < 5000; i++) book.add(`e${i}`, camA.number, i, `d${i}`, `c${i}`);
    expect(book.size).toBe(5000);
    expect(book.oldest).toBe(1000);
    expect(book.find('e999')).toBe(-1);
    expect(book.find('e1000')).toBe(1000);
    expect(book.sentAt(4999)).toBe(4999);
    expect(book.hasVersion(1234, 'd1234', 'c1234')).toBe(true);
    // A released id sent again is a new event; the rest keep their numbers.
    expect(book.add('e5', camA.number, 5000, 'd5', 'c5')).toBe(5000);
    expect(book.find('e5')).toBe(5000);
    expect(book.find('e1001')).toBe(1001);
  });
});

describe('the horizon', () => {
  it('judges a run shorter than the horizon exactly as before: nothing is late', () => {
    const verdict = judge(world, [...aged(), shown('list', 'alice', 31_000, [['e1', 'camA']])], { minThumbnails: 0 });
    expect(verdict.status).toBe('pass');
    expect(verdict.late).toBeUndefined();
  });

  it('a released event shown again to a user entitled to its camera is counted late, not passed silently', () => {
    const verdict = judge(world, [...aged(), shown('list', 'carol', 31_000, [['e1', 'camA']])], short);
    expect(verdict.status).toBe('pass');
    expect(verdict.late).toBe(1);
    expect(verdict.reasons.join(' ')).toMatch(/1 records named events older than the oracle's horizon/);
  });

  it('a released event shown to a user who never had access to its camera is still a leak', () => {
    const verdict = judge(world, [...aged(), shown('list', 'bob', 31_000, [['e1', 'camA']])], short);
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence[0]).toMatchObject({ recipient: 'bob', eventId: 'e1', cameraId: 'camA', surface: 'list' });
  });

  it('released thumbnail bytes go by the camera in their provenance', () => {
    const verdict = judge(world, [...aged(), thumbnail('bob', 31_000, 'e1', 'camA')], short);
    expect(verdict.status).toBe('fail');
    expect(verdict.leaks.opened).toBe(1);
  });

  it('a late sight whose answer depends on which released event it was is unknown', () => {
    // camA is shared with bob at 5000 ms: of its released events, some were accepted before, some after.
    const share = access({ kind: 'share', cameraId: 'camA', userId: 'bob' }, 5000, 5100);
    const history = [...emit('camA', 'e0', 500), ...aged(), ...emit('camA', 'e9', 8000), share, shown('list', 'alice', 8100, [['e9', 'camA']])];
    const verdict = judge(world, [...history, ...emit('camB', 'later', 50_000), shown('list', 'bob', 50_100, [['e1', 'camA']])], short);
    expect(verdict.late).toBe(1);
    expect(verdict.unknown).toBe(1);
    expect(verdict.status).toBe('unknown');
    const revoke = access({ kind: 'revoke', cameraId: 'camA', userId: 'carol' }, 5000, 5100);
    const revoked = [...emit('camA', 'e0', 500), ...aged(), ...emit('camA', 'e9', 8000), revoke, shown('list', 'alice', 8100, [['e9', 'camA']])];
    const leak = judge(world, [...revoked, ...emit('camB', 'later', 40_000), shown('list', 'carol', 40_100, [['e1', 'camA']])], short);
    expect(leak.status).toBe('fail'); // carol surely had no access when shown: revoked at 5100
  });

  it('an id never sent, on a camera with nothing released, stays unknown', () => {
    const verdict = judge(world, [...aged(), shown('list', 'bob', 31_000, [['ghost', 'camB']])], short);
    expect(verdict.status).toBe('unknown');
    expect(verdict.unknown).toBe(1);
  });

  it('decides the loss of a released event at its release: acked, shown to nobody entitled within the horizon', () => {
    const history = [...emit('camA', 'e1', 1000), ...emit('camB', 'e2', 1000), shown('list', 'bob', 1200, [['e2', 'camB']]), ...emit('camB', 'clock', 30_000)];
    expect(judge(world, history, short).events.lost).toBe(1);
    expect(judge(world, history, { minThumbnails: 0 }).events.lost).toBe(1);
    // Shown only after its release: still lost, and the late sight is counted.
    const late = judge(world, [...history, shown('list', 'alice', 31_000, [['e1', 'camA']])], short);
    expect(late.events.lost).toBe(1);
    expect(late.late).toBe(1);
  });

  it('keeps an event a would-be leak still waits on until that leak is settled', () => {
    // bob's sight of e1 waits settleMs; the horizon may not release e1 before it is judged with its evidence.
    const history = [...emit('camA', 'e1', 1000), shown('list', 'bob', 10_990, [['e1', 'camA']]), ...emit('camB', 'clock', 11_200)];
    const verdict = judge(world, [...history, ...emit('camB', 'clock2', 30_000)], { ...short, settleMs: 5000, horizonMs: 10_000 });
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence[0]).toMatchObject({ recipient: 'bob', eventId: 'e1', broken: 'both' });
  });

  it('counts from the events, not from access changes that judge() feeds first', () => {
    const transferLate = access({ kind: 'transfer', cameraId: 'camB', toUserId: 'carol' }, 100_000, 100_100);
    const verdict = judge(world, [transferLate, ...emit('camA', 'e1', 1000), shown('list', 'carol', 5000, [['e1', 'camA']])], short);
    expect(verdict.late).toBeUndefined();
    expect(verdict.events.delivered).toBe(1);
  });

  it('refuses a horizon that does not exceed the settle delay plus the grace window', () => {
    const verdict = judge(world, aged(), { settleMs: 30_000, horizonMs: 31_000 });
    expect(verdict.status).toBe('unknown');
    expect(verdict.reasons[0]).toMatch(/horizon \(31000 ms\) must exceed/);
  });
});
