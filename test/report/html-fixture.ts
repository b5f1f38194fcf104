/**
 * A failing run as literal data, for report.html tests: a 30 s storm with a client outage and a cache
 * latency fault, five leaks on every surface (one with hostile strings in its ids), and one breached gate.
 */
import type { LeakEvidence } from '../../src/oracle/verdict.ts';
import type { Summary } from '../../src/report/summary.ts';
import type { TimelineBucket } from '../../src/report/timeline.ts';
import type { RunResult } from '../../src/report/result.ts';

export const T0 = 1_700_000_000_000;
/** A recipient id that would run script if it reached the page unescaped. */
export const HOSTILE_USER = '<img src=x onerror="window.__xss=1">';
export const HOSTILE_EVENT = '</script><script>window.__xss=2</script>';

function leak(atS: number, recipient: string, surface: LeakEvidence['surface'], extra: Partial<LeakEvidence> = {}): LeakEvidence {
  const at = T0 + atS * 1000;
  return {
    recipient,
    owners: ['user-owner-a'],
    cameraId: 'cam-7',
    ...(surface === 'cameras' ? {} : { eventId: `evt-${atS}` }),
    surface,
    call: { start: at - 40, t: at },
    at,
    broken: 'shown',
    phase: 'storm',
    faults: [],
    ...extra,
  };
}

/** Deliberately out of time order: the report must order leaks by when they happened. */
export const EVIDENCE: LeakEvidence[] = [
  leak(14.2, 'user-bob', 'stream', { faults: [{ id: 'f2', fault: 'latency', path: 'cache' }] }),
  leak(11.5, 'user-carol', 'list', { owners: ['user-owner-b'], cameraId: 'cam-9' }),
  leak(21, HOSTILE_USER, 'thumbnail', { eventId: HOSTILE_EVENT, call: { start: T0 + 20_900, t: T0 + 21_000, probe: true } }),
  leak(25.5, 'user-alice', 'cameras', { phase: 'settle' }),
  leak(16, 'user-dave', 'stream', { owners: ['user-owner-a', 'user-owner-c'] }),
];

function buckets(seconds: number): TimelineBucket[] {
  return Array.from({ length: seconds }, (_, s) => {
    const down = s >= 5 && s < 10;
    return { s, cameras: down ? 0 : 40, streams: 20, acked: down ? 0 : 6 + (s % 3), shown: down ? 0 : 12, errors: down ? 3 : 0 };
  });
}

export function failingRun(overrides: { evidence?: LeakEvidence[]; seconds?: number; total?: number } = {}): RunResult {
  const evidence = overrides.evidence ?? EVIDENCE;
  const seconds = overrides.seconds ?? 30;
  const total = overrides.total ?? evidence.length;
  const summary: Summary = {
    verdict: 'fail',
    reasons: [`${total} items shown to users without access`],
    seed: 4242,
    scenario: 'storm',
    command: 'bin/stampede run storm --seed 4242 --cameras 40 --users 20 --duration 30 --bug wyze-2024',
    target: 'embedded',
    bug: 'wyze-2024',
    world: { cameras: 40, users: 20 },
    durationS: seconds,
    startedAt: new Date(T0).toISOString(),
    endedAt: new Date(T0 + seconds * 1000).toISOString(),
    leaks: { total, recipients: 5, owners: 3, opened: 1, bySurface: { list: 1, stream: 2, thumbnail: 1, cameras: 1 } },
    checked: { total: 900, list: 300, stream: 300, thumbnail: 100, cameras: 200 },
    events: { emitted: 200, acked: 198, delivered: 190, lost: 0 },
    mismatches: 0,
    unknown: 0,
    duplicates: 0,
    roleErrors: 0,
    probes: { sent: 10, refused: 9, notRefused: 1 },
    latency: { p50: 12, p95: 140, p99: 900, max: 2100 },
    reconnect: { outages: 1, unhealed: 0, reconnected: 40, missing: 0, p50: 60, p95: 800, max: 1300, perOutage: [{ healedAt: T0 + 10_000, cameras: 40, reconnected: 40, p95: 800, firstBackMs: 40, allBackMs: 1300 }] },
    faults: [
      { id: 'f1', fault: 'outage', path: 'client', start: T0 + 5_000, heal: T0 + 10_000, state: 'healed' },
      { id: 'f2', fault: 'latency', path: 'cache', start: T0 + 12_000, heal: T0 + 18_000, state: 'healed' },
    ],
    errors: 15,
    shortfalls: [],
    evidence: evidence.slice(0, 50),
    gates: [
      { name: 'leaks', expression: '== 0', actual: total, unit: 'count', ok: false },
      { name: 'delivery.p99', expression: '< 2s', actual: 900, unit: 'ms', ok: true },
    ],
  };
  return {
    summary,
    evidence,
    timeline: {
      startedAt: T0,
      buckets: buckets(seconds),
      phases: [
        { name: 'warm-up', at: 0 },
        { name: 'outage', at: 5 },
        { name: 'storm', at: 10 },
        { name: 'settle', at: 24 },
      ],
    },
  };
}
