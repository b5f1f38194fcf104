/**
 * The optimised oracle against the naive reference judge (naive-judge.ts) on random histories of a tiny world:
 * transfers, shares and revocations (some failed, some overlapping, all with grace windows), retried sends,
 * missing, duplicate and out-of-order acks, late and duplicate sights, unknown users, events and cameras, and
 * thumbnails with good, missing, foreign or forged provenance. Both must count the same leaks per surface,
 * unknowns, losses, duplicates and deliveries. Histories stay shorter than the settle delay (see naive-judge.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/oracle/judge.ts';
import type { HistoryRecord } from '../../src/world/history.ts';
import type { World } from '../../src/world/types.ts';
import { naiveJudge } from './naive-judge.ts';
import { RUN, T, tinyWorld } from './fixtures.ts';

/** u3 and cZ are not in the world; e8 is never sent. */
const USERS = ['u0', 'u1', 'u2', 'u3'];
const CAMERAS = ['c0', 'c1', 'c2', 'cZ'];
const EVENTS = ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8'];

const user = fc.constantFrom(...USERS);
const camera = fc.constantFrom(...CAMERAS);
const inWorldCamera = fc.constantFrom(...CAMERAS.slice(0, 3));
const inWorldUser = fc.constantFrom(...USERS.slice(0, 3));
const event = fc.constantFrom(...EVENTS);
/** History time, well inside the settle delay; `late` is how long after it the record reaches the history. */
const at = fc.integer({ min: 0, max: 12_000 });
const late = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4_000 }) });
const span = fc.integer({ min: 0, max: 400 });
/** Which of an event's two versions (a retried send may carry other bytes). */
const version = fc.constantFrom(0, 1);
const bytes = (eventId: string, v: number) => ({ digest: `d-${eventId}-${v}`, check: `k-${eventId}-${v}` });

const shares = fc.uniqueArray(fc.record({ cameraId: inWorldCamera, userId: inWorldUser }), { selector: (s) => `${s.cameraId} ${s.userId}` });
/** Three users owning a camera each, some shares, and a grace window from none to the default. */
const worldArb: fc.Arbitrary<World> = fc.tuple(shares, fc.constantFrom(0, 150, 2000)).map(([shares, graceMs]) =>
  tinyWorld({
    graceMs,
    users: USERS.slice(0, 3).map((userId) => ({ userId, email: `${userId}@example.test`, password: 'pw', name: userId })),
    cameras: CAMERAS.slice(0, 3).map((cameraId, i) => ({ cameraId, secret: 's', name: cameraId, model: 'm', mac: '0', ownerId: `u${i}` })),
    shares: shares.filter((s) => s.userId !== `u${s.cameraId.slice(1)}`),
  }),
);

/** A record and how long after it happened it reached the history. */
type Arrival = { r: HistoryRecord; late: number };
type Step = Arrival[];
const step = <A>(arb: fc.Arbitrary<A>, build: (a: A, t: number) => HistoryRecord[]): fc.Arbitrary<Step> =>
  fc.record({ a: arb, t: at, late }).map(({ a, t, late }) => build(a, T + t).map((r) => ({ r, late })));

const accessStep = step(
  fc.record({ kind: fc.constantFrom('share', 'revoke', 'transfer'), cameraId: inWorldCamera, userId: inWorldUser, span, ok: fc.boolean() }),
  ({ kind, cameraId, userId, span, ok }, t): HistoryRecord[] => [
    { type: 'access', start: t, end: t + span, ok: ok || span % 3 !== 0, change: kind === 'transfer' ? { kind, at: 0, cameraId, toUserId: userId } : { kind, at: 0, cameraId, userId } },
  ],
);
const sentStep = step(fc.record({ eventId: event, cameraId: camera, v: version }), ({ eventId, cameraId, v }, t): HistoryRecord[] => [
  { type: 'sent', t, cameraId, eventId, kind: 'motion', ts: t, bytes: 10, ...bytes(eventId, v) },
]);
const ackedStep = step(fc.record({ eventId: event, cameraId: camera }), ({ eventId, cameraId }, t): HistoryRecord[] => [{ type: 'acked', t, cameraId, eventId }]);
const shownStep = step(
  fc.record({ surface: fc.constantFrom('list', 'stream'), userId: user, span, items: fc.array(fc.record({ eventId: event, cameraId: camera }), { minLength: 0, maxLength: 4 }) }),
  ({ surface, userId, span, items }, t): HistoryRecord[] => [
    { type: 'shown', surface, start: t - span, t, userId, events: items.map((i) => ({ ...i, kind: 'motion', ts: t })) },
  ],
);
const thumbnailStep = step(
  fc.record({
    userId: user,
    span,
    eventId: event,
    bytesOf: event,
    cameraId: camera,
    v: version,
    provenance: fc.constantFrom('good', 'none', 'other-run', 'forged'),
    status: fc.constantFrom(200, 200, 200, 404, 403, 500),
  }),
  ({ userId, span, eventId, bytesOf, cameraId, v, provenance, status }, t): HistoryRecord[] => {
    const call = { type: 'thumbnail', start: t - span, t, userId, eventId, probe: userId === 'u2' } as const;
    if (status !== 200) return [{ ...call, status }];
    const { digest, check } = bytes(bytesOf, v);
    if (provenance === 'none') return [{ ...call, status, bytes: 10, digest }];
    const runId = provenance === 'other-run' ? 'run-0' : RUN;
    return [{ ...call, cameraId, status, bytes: 10, digest, provenance: { runId, cameraId, eventId: bytesOf, check: provenance === 'forged' ? 'x' : check } }];
  },
);
const camerasStep = step(
  fc.record({ userId: user, span, cameras: fc.array(fc.record({ cameraId: camera, role: fc.constantFrom('owner', 'shared') }), { maxLength: 3 }) }),
  ({ userId, span, cameras }, t): HistoryRecord[] => [{ type: 'cameras', start: t - span, t, userId, cameras }],
);
/**
 * An event's usual life: sent, acked a little later (or never), shown to whoever the target picks, its thumbnail
 * opened. Each record may reach the history late on its own, so an ack can follow the sights it should precede.
 */
const lifeStep: fc.Arbitrary<Step> = fc
  .record({
    t: at,
    eventId: event,
    cameraId: inWorldCamera,
    ack: fc.option(fc.record({ after: fc.integer({ min: 0, max: 300 }), late })),
    viewers: fc.array(fc.record({ userId: user, surface: fc.constantFrom('list', 'stream', 'thumbnail'), after: fc.integer({ min: 0, max: 3000 }), late }), { maxLength: 3 }),
  })
  .map(({ t: offset, eventId, cameraId, ack, viewers }) => {
    const t = T + offset;
    const records: Arrival[] = [{ r: { type: 'sent', t, cameraId, eventId, kind: 'motion', ts: t, bytes: 10, ...bytes(eventId, 0) }, late: 0 }];
    if (ack !== null) records.push({ r: { type: 'acked', t: t + ack.after, cameraId, eventId }, late: ack.late });
    for (const { userId, surface, after, late } of viewers) {
      const call = { start: t + after, t: t + after + 20, userId };
      const { digest, check } = bytes(eventId, 0);
      const r: HistoryRecord =
        surface === 'thumbnail'
          ? { type: 'thumbnail', ...call, eventId, cameraId, probe: false, status: 200, bytes: 10, digest, provenance: { runId: RUN, cameraId, eventId, check } }
          : { type: 'shown', surface, ...call, events: [{ eventId, cameraId, kind: 'motion', ts: t }] };
      records.push({ r, late });
    }
    return records;
  });

const historyArb = fc
  .array(
    fc.oneof(
      { weight: 2, arbitrary: accessStep },
      { weight: 1, arbitrary: sentStep },
      { weight: 1, arbitrary: ackedStep },
      { weight: 2, arbitrary: shownStep },
      { weight: 1, arbitrary: thumbnailStep },
      { weight: 1, arbitrary: camerasStep },
      { weight: 4, arbitrary: lifeStep },
    ),
    { maxLength: 40, size: 'max' },
  )
  // Records reach the history in the order they were written, which is not always the order they happened in.
  .map((steps) => steps.flat().map(({ r, late }) => ({ r, arrival: (r.type === 'access' ? r.end : r.t) + late })))
  .map((records) => records.sort((a, b) => a.arrival - b.arrival).map((x) => x.r));

describe('the oracle agrees with a naive judge', () => {
  it('on leaks, unknowns, losses, duplicates and deliveries of random histories', () => {
    fc.assert(
      fc.property(worldArb, historyArb, (world, history) => {
        const verdict = judge(world, history, { minThumbnails: 0 });
        expect(verdict.reasons.join(' ')).not.toMatch(/oracle failed/);
        const naive = naiveJudge(world, history);
        expect({
          leaks: verdict.leaks.bySurface,
          unknown: verdict.unknown,
          lost: verdict.events.lost,
          duplicates: verdict.duplicates,
          delivered: verdict.events.delivered,
        }).toEqual(naive);
        expect(verdict.leaks.total).toBe(Object.values(naive.leaks).reduce((a, b) => a + b, 0));
      }),
      { numRuns: 3000 },
    );
  });
});
