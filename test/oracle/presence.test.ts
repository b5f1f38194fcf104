/** Delivery latency counts from when the event could be delivered: the ack, or an entitled user's first login if later. */
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/oracle/judge.ts';
import type { HistoryRecord } from '../../src/world/history.ts';
import { emit, shown, T, tinyWorld } from './fixtures.ts';

const world = tinyWorld(); // camA: alice's, shared with carol; camB: bob's alone
const login = (userId: string, at: number): HistoryRecord => ({ type: 'user', t: T + at, userId, state: 'login' });

describe('delivery latency and who was there', () => {
  it('counts from the owner\'s first login when the event was acked before it', () => {
    // camB's event acked at +50; bob logs in at +4,000 and his first list shows it at +4,300.
    const verdict = judge(world, [...emit('camB', 'camB.e1', 0), login('bob', 4000), shown('list', 'bob', 4300, [['camB.e1', 'camB']])]);
    expect(verdict.events.delivered).toBe(1);
    expect(verdict.latency.max).toBe(300);
  });

  it('counts from the ack when the owner was already there, and again after any later absence', () => {
    const history = [login('bob', 0), ...emit('camB', 'camB.e1', 1000), login('bob', 5000), shown('list', 'bob', 6050, [['camB.e1', 'camB']])];
    // Only the first login counts: bob was there at the ack, so the 5 s until his list showed it are the target's.
    expect(judge(world, history).latency.max).toBe(5000);
  });

  it('counts from the first login of any user who may share the camera', () => {
    // camA is alice's, shared with carol: carol was in at +1,000, alice only at +6,000 and she is shown it first.
    const early = [login('carol', 1000), ...emit('camA', 'camA.e1', 2000), login('alice', 6000), shown('list', 'alice', 6500, [['camA.e1', 'camA']])];
    expect(judge(world, early).latency.max).toBe(6500 - 2050);
    // Nobody who may see camA was in at the ack: from the first of them to come.
    const late = [...emit('camA', 'camA.e1', 2000), login('carol', 5000), login('alice', 6000), shown('list', 'alice', 6500, [['camA.e1', 'camA']])];
    expect(judge(world, late).latency.max).toBe(1500);
  });

  it('keeps latency from the ack in a history without login records', () => {
    const verdict = judge(world, [...emit('camB', 'camB.e1', 0), shown('list', 'bob', 4300, [['camB.e1', 'camB']])]);
    expect(verdict.latency.max).toBe(4250);
  });
});
