import { describe, expect, it } from 'vitest';
import { judge } from '../../src/oracle/judge.ts';
import { Oracle } from '../../src/oracle/oracle.ts';
import type { HistoryRecord } from '../../src/world/history.ts';
import type { World } from '../../src/world/types.ts';
import { access, cameras, cleanRun, emit, shown, T, tinyWorld } from './fixtures.ts';

const world = tinyWorld();

describe('verdict composition', () => {
  it('a run where nothing was delivered is unknown, never a pass', () => {
    const verdict = judge(world, [...emit('camA', 'e1', 1000), cameras('alice', 1500, [['camA', 'owner']])]);
    expect(verdict.status).toBe('unknown');
    expect(verdict.reasons.join(' ')).toMatch(/only 0 events delivered/);
    expect(verdict.reasons.join(' ')).toMatch(/only 0 thumbnails checked/);
  });

  it('an empty history is unknown', () => {
    expect(judge(world, []).status).toBe('unknown');
  });

  it('thresholds are parameters: a target without thumbnails can pass with minThumbnails 0', () => {
    const noThumbnails = cleanRun().filter((r) => r.type !== 'thumbnail');
    expect(judge(world, noThumbnails).status).toBe('unknown');
    expect(judge(world, noThumbnails, { minThumbnails: 0 }).status).toBe('pass');
  });

  it('a record the oracle cannot handle makes the verdict unknown with the message, and a leak still fails', () => {
    const broken = { type: 'shown', surface: 'list', start: T, t: T, userId: 'alice', events: null } as unknown as HistoryRecord;
    const verdict = judge(world, [...cleanRun(), broken]);
    expect(verdict.status).toBe('unknown');
    expect(verdict.reasons[0]).toMatch(/the oracle failed while judging: .*shown record/);
    const leaky = judge(world, [...cleanRun(), broken, shown('list', 'bob', 2000, [['e1', 'camA']])]);
    expect(leaky.status).toBe('fail');
  });

  it('passes by the end-of-run marker, but a record kind it does not know makes the verdict unknown', () => {
    const marker = { type: 'end', t: T + 3000, startedAt: T } as unknown as HistoryRecord;
    expect(judge(world, [...cleanRun(), marker]).status).toBe('pass');
    const stranger = { type: 'surprise', t: T + 3000 } as unknown as HistoryRecord;
    const verdict = judge(world, [...cleanRun(), stranger]);
    expect(verdict.status).toBe('unknown');
    expect(verdict.reasons[0]).toMatch(/unknown history record type surprise/);
  });

  it('a world it cannot read is unknown, not a crash', () => {
    const verdict = judge({ ...world, users: undefined } as unknown as World, cleanRun());
    expect(verdict.status).toBe('unknown');
    expect(verdict.reasons[0]).toMatch(/oracle failed/);
  });

  it('a camera listed with the wrong role is a role error, not a leak', () => {
    const verdict = judge(world, [...cleanRun(), cameras('carol', 2000, [['camA', 'owner']])]);
    expect(verdict.roleErrors).toBe(1);
    expect(verdict.status).toBe('pass');
  });

  it("a camera only its owner ever reaches is a role error when listed as shared with them, and only then", () => {
    expect(judge(world, [...cleanRun(), cameras('bob', 2000, [['camB', 'shared']])]).roleErrors).toBe(1);
    expect(judge(world, [...cleanRun(), cameras('bob', 2000, [['camB', 'owner']])]).roleErrors).toBe(0);
  });

  it('keeps the first maxEvidence leaks in full and counts them all', () => {
    const leaks = [1, 2, 3].map((i) => shown('list', 'bob', 2000 + i, [['e1', 'camA']]));
    const verdict = judge(world, [...cleanRun(), ...leaks], { maxEvidence: 1 });
    expect(verdict.leaks.total).toBe(3);
    expect(verdict.evidence).toHaveLength(1);
    expect(verdict.duplicates).toBe(2);
  });
});

describe('evidence', () => {
  it('is stamped with the phase and the faults active when the leak happened, even if recorded later', () => {
    const history: HistoryRecord[] = [
      ...cleanRun(),
      { type: 'fault', t: T + 4000, action: 'start', id: 'f1', fault: 'latency', path: 'client' },
      { type: 'fault', t: T + 4200, action: 'start', id: 'f0', fault: 'reset', path: 'cache' },
      { type: 'fault', t: T + 4500, action: 'heal', id: 'f0', fault: 'reset', path: 'cache' },
      { type: 'phase', t: T + 5000, name: 'outage' },
      shown('stream', 'bob', 6000, [['e1', 'camA']]),
      // Recorded after the leak, but it started before it.
      { type: 'fault', t: T + 5500, action: 'start', id: 'f2', fault: 'blackhole', path: 'cache' },
      { type: 'fault', t: T + 8000, action: 'heal', id: 'f1', fault: 'latency', path: 'client' },
      { type: 'phase', t: T + 9000, name: 'settle' },
    ];
    const [evidence] = judge(world, history).evidence;
    expect(evidence!.phase).toBe('outage');
    expect(evidence!.faults.map((f) => f.id).sort()).toEqual(['f1', 'f2']);
    expect(evidence!.call).toEqual({ start: T + 5980, t: T + 6000 });
  });
});

describe('Oracle, fed live', () => {
  it('waits for a late access record before counting a would-be leak', () => {
    const oracle = new Oracle(world, { settleMs: 5000 });
    const share = access({ kind: 'share', cameraId: 'camA', userId: 'bob' }, 2000, 2100);
    // The share takes effect on the target and bob is pushed an event before the admin call returns.
    const feed = [...cleanRun(), ...emit('camA', 'e3', 2050), shown('stream', 'bob', 2080, [['e3', 'camA']]), share];
    for (const record of feed) oracle.observe(record);
    expect(oracle.progress().waiting).toBe(1);
    oracle.observe({ type: 'phase', t: T + 60_000, name: 'drain' });
    expect(oracle.progress()).toMatchObject({ leaks: 0, waiting: 0 });
    expect(oracle.verdict(T + 60_000).status).toBe('pass');
  });

  it('counts a real leak once it has settled, and the fold agrees', () => {
    const feed = [...cleanRun(), shown('list', 'bob', 2000, [['e1', 'camA']])];
    const oracle = new Oracle(world, { settleMs: 5000 });
    for (const record of feed) oracle.observe(record);
    // Nothing is through the settle delay yet: the 0 is no verdict, and progress says so.
    expect(oracle.progress()).toMatchObject({ leaks: 0, judged: false });
    oracle.observe({ type: 'phase', t: T + 10_000, name: 'drain' });
    expect(oracle.progress()).toMatchObject({ leaks: 1, judged: true });
    expect(oracle.bySurface().leaks).toEqual({ list: 1, stream: 0, thumbnail: 0, cameras: 0 });
    expect(oracle.bySurface().checked.list).toBe(3);
    expect(oracle.verdict(T + 10_000).leaks.total).toBe(judge(world, feed).leaks.total);
  });

  it('convicts on acceptance once a late ack shows the event was accepted before a transfer', () => {
    const transfer = access({ kind: 'transfer', cameraId: 'camA', toUserId: 'bob' }, 10_000, 10_100);
    const [sent, acked] = emit('camA', 'e3', 1000);
    // bob is shown e3 long after the transfer; the ack (at +1050) reaches the history only afterwards.
    const verdict = judge(world, [...cleanRun(), transfer, sent!, shown('list', 'bob', 20_000, [['e3', 'camA']]), acked!]);
    expect(verdict.status).toBe('fail');
    expect(verdict.evidence[0]).toMatchObject({ recipient: 'bob', eventId: 'e3', broken: 'acceptance' });
  });
});
