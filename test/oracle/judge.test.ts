import { describe, expect, it } from 'vitest';
import { judge } from '../../src/oracle/judge.ts';
import type { HistoryRecord } from '../../src/world/history.ts';
import { access, cameras, cleanRun, emit, GRACE, refused, shown, T, thumbnail, tinyWorld } from './fixtures.ts';

const world = tinyWorld();

describe('judge: a healthy run', () => {
  it('passes, with every surface checked and deliveries counted', () => {
    const verdict = judge(world, cleanRun());
    expect(verdict.status).toBe('pass');
    expect(verdict.leaks.total).toBe(0);
    expect(verdict.checked).toEqual({ total: 6, list: 2, stream: 1, thumbnail: 1, cameras: 2 });
    expect(verdict.events).toEqual({ emitted: 2, acked: 2, delivered: 2, lost: 0 });
    expect(verdict.probes).toEqual({ sent: 1, refused: 1, notRefused: 0 });
    expect(verdict.unknown).toBe(0);
    // alice at +30 ms after the ack, carol at +450, bob at +450: the histogram sees all three.
    expect(verdict.latency.max).toBeGreaterThanOrEqual(450);
    expect(verdict.latency.p50).toBeGreaterThanOrEqual(30);
  });
});

describe('judge: plain leaks', () => {
  const cases: [string, HistoryRecord][] = [
    ['list', shown('list', 'bob', 2000, [['e1', 'camA']])],
    ['stream', shown('stream', 'bob', 2000, [['e1', 'camA']])],
    ['thumbnail', thumbnail('bob', 2000, 'e1', 'camA')],
    ['cameras', cameras('bob', 2000, [['camA', 'shared']])],
  ];
  for (const [surface, leak] of cases) {
    it(`fails on a leak through ${surface}`, () => {
      const verdict = judge(world, [...cleanRun(), leak]);
      expect(verdict.status).toBe('fail');
      expect(verdict.leaks.total).toBe(1);
      expect(verdict.leaks.bySurface[surface as 'list']).toBe(1);
      expect(verdict.leaks.recipients).toBe(1);
      expect(verdict.leaks.owners).toBe(1);
      expect(verdict.leaks.opened).toBe(surface === 'thumbnail' ? 1 : 0);
      const [evidence] = verdict.evidence;
      expect(evidence).toMatchObject({ recipient: 'bob', owners: ['alice'], cameraId: 'camA', surface, at: T + 2000 });
      expect(evidence!.eventId).toBe(surface === 'cameras' ? undefined : 'e1');
    });
  }
});

describe('judge: access changes', () => {
  const revoke = access({ kind: 'revoke', cameraId: 'camA', userId: 'carol' }, 10_000, 10_100);

  it('a revoked sharee shown an old event after the grace window is a leak; inside it is not', () => {
    const late = judge(world, [...cleanRun(), revoke, shown('list', 'carol', 10_100 + GRACE + 500, [['e1', 'camA']])]);
    expect(late.status).toBe('fail');
    expect(late.evidence[0]).toMatchObject({ recipient: 'carol', broken: 'shown' });
    const inGrace = judge(world, [...cleanRun(), revoke, shown('list', 'carol', 10_100 + GRACE - 500, [['e1', 'camA']])]);
    expect(inGrace.status).toBe('pass');
  });

  it('a transfer hands the new owner only later events, and takes the history from the old owner', () => {
    const transfer = access({ kind: 'transfer', cameraId: 'camA', toUserId: 'bob' }, 10_000, 10_100);
    const history = [...cleanRun(), transfer, ...emit('camA', 'e3', 20_000)];
    const fine = judge(world, [...history, shown('stream', 'bob', 20_060, [['e3', 'camA']])]);
    expect(fine.status).toBe('pass');
    const newOwner = judge(world, [...history, shown('list', 'bob', 20_000, [['e1', 'camA']])]);
    expect(newOwner.status).toBe('fail');
    expect(newOwner.evidence[0]).toMatchObject({ recipient: 'bob', owners: ['alice'], broken: 'acceptance' });
    const oldOwner = judge(world, [...history, shown('list', 'alice', 20_000, [['e1', 'camA']])]);
    expect(oldOwner.evidence[0]).toMatchObject({ recipient: 'alice', broken: 'shown' });
    expect(oldOwner.leaks.owners).toBe(1); // bob, the camera's owner when alice was shown its history
  });

  it('an event accepted inside the grace window of a transfer may go to either owner', () => {
    const transfer = access({ kind: 'transfer', cameraId: 'camA', toUserId: 'bob' }, 10_000, 10_100);
    const verdict = judge(world, [...cleanRun(), transfer, ...emit('camA', 'e3', 9_500), shown('list', 'bob', 20_000, [['e3', 'camA']])]);
    expect(verdict.status).toBe('pass');
  });

  it('a failed revoke may not have happened: the sharee may still see the camera', () => {
    const failed = access({ kind: 'revoke', cameraId: 'camA', userId: 'carol' }, 10_000, 10_100, false);
    const verdict = judge(world, [...cleanRun(), failed, shown('list', 'carol', 30_000, [['e1', 'camA']])]);
    expect(verdict.status).toBe('pass');
  });
});

describe('judge: content and metadata', () => {
  const history = [...cleanRun(), ...emit('camA', 'e3', 2000)];

  it('bytes of someone else’s event under the right label are a mismatch and a leak', () => {
    const wyze = thumbnail('alice', 3000, 'e3', 'camA', { eventId: 'e2', cameraId: 'camB' });
    const verdict = judge(world, [...history, wyze]);
    expect(verdict.status).toBe('fail');
    expect(verdict.mismatches).toBe(1);
    expect(verdict.leaks.opened).toBe(1);
    expect(verdict.evidence[0]).toMatchObject({ recipient: 'alice', owners: ['bob'], cameraId: 'camB', eventId: 'e2', call: { requestedEventId: 'e3', labelledCameraId: 'camA' } });
  });

  it('bytes of the owner’s other event are a mismatch but no leak', () => {
    const verdict = judge(world, [...history, thumbnail('alice', 3000, 'e3', 'camA', { eventId: 'e1', cameraId: 'camA' })]);
    expect(verdict.status).toBe('pass');
    expect(verdict.mismatches).toBe(1);
  });

  it('a shown event labelled with the wrong camera is judged by the camera that really sent it', () => {
    const verdict = judge(world, [...history, shown('list', 'bob', 3000, [['e3', 'camB']])]);
    expect(verdict.mismatches).toBe(1);
    expect(verdict.evidence[0]).toMatchObject({ recipient: 'bob', cameraId: 'camA', eventId: 'e3' });
  });

  it('events, cameras and bytes this run never produced are unknown, so the run cannot pass', () => {
    const odd: HistoryRecord[] = [
      shown('list', 'alice', 3000, [['ghost', 'camA']]),
      cameras('alice', 3000, [['camZ', 'owner']]),
      thumbnail('alice', 3000, 'e1', 'camA', { eventId: 'e1', cameraId: 'camA', runId: 'other-run' }),
      thumbnail('alice', 3000, 'e1', 'camA', { eventId: 'e1', cameraId: 'camA', check: 'forged' }),
      thumbnail('alice', 3000, 'e1', 'camA', { eventId: 'e1', cameraId: 'camA', digest: 'd-altered' }),
    ];
    const verdict = judge(world, [...history, ...odd]);
    expect(verdict.unknown).toBe(5);
    expect(verdict.leaks.total).toBe(0);
    expect(verdict.status).toBe('unknown');
    expect(verdict.reasons.join(' ')).toMatch(/5 items could not be judged/);
  });
});

describe('judge: delivery', () => {
  it('counts duplicates per user and surface without failing the run', () => {
    const verdict = judge(world, [...cleanRun(), shown('list', 'carol', 2500, [['e1', 'camA']]), shown('stream', 'carol', 2600, [['e1', 'camA']])]);
    expect(verdict.duplicates).toBe(1);
    expect(verdict.status).toBe('pass');
  });

  it('counts an acked event no entitled user ever saw as lost, except one acked too late to judge', () => {
    const end = 60_000;
    const history = [...cleanRun(), ...emit('camB', 'e-lost', 5_000), ...emit('camB', 'e-late', end - GRACE + 500), { type: 'phase', t: T + end, name: 'drain' } as const];
    const verdict = judge(world, history);
    expect(verdict.events).toMatchObject({ emitted: 4, acked: 4, lost: 1 });
  });

  it('a probe answered with foreign bytes is not refused, and a leak', () => {
    const verdict = judge(world, [...cleanRun(), thumbnail('bob', 2500, 'e1', 'camA', undefined, true), refused('bob', 2600, 'e1', 403)]);
    expect(verdict.probes).toEqual({ sent: 3, refused: 2, notRefused: 1 });
    expect(verdict.leaks.bySurface.thumbnail).toBe(1);
    expect(verdict.evidence[0]!.call.probe).toBe(true);
  });
});
