/**
 * Run results built from literal verdicts through the real `summarize`, so reporter tests see exactly what a run
 * would hand them: leaks on chosen surfaces, a doubtful oracle, breached gates, an interrupted run.
 */
import { resolveGates } from '../../src/oracle/gates.ts';
import type { LeakEvidence, Verdict } from '../../src/oracle/verdict.ts';
import { summarize } from '../../src/report/summary.ts';
import type { Surface, WorkerShare } from '../../src/world/history.ts';
import type { RunResult } from '../../src/report/result.ts';

export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

export interface Shape {
  /** Leaks per surface. */
  leaks?: Partial<Record<Surface, number>>;
  /** The oracle had doubts (too little checked). */
  unknown?: boolean;
  /** --gate flags over the storm gates. */
  gates?: string[];
  interrupted?: string;
  /** Make the first thumbnail leak a probe. */
  probeLeak?: boolean;
  /** The fleet was split across worker processes with these shares. */
  workers?: WorkerShare[];
}

export function leak(surface: Surface, i: number, probe = false): LeakEvidence {
  return {
    recipient: `u-${String(i).padStart(6, '0')}`,
    owners: ['u-000900'],
    cameraId: `c-${i}`,
    ...(surface === 'cameras' ? {} : { eventId: `e-${i}` }),
    surface,
    call: { start: T0 + 10_000 + i, t: T0 + 10_050 + i, ...(probe ? { probe: true, requestedEventId: `e-${i}` } : {}) },
    at: T0 + 10_050 + i,
    broken: 'acceptance',
    phase: 'storm',
    faults: [{ id: 'f1', fault: 'latency', path: 'cache' }],
  };
}

export function runResult(shape: Shape = {}): RunResult {
  const bySurface = { list: 0, stream: 0, thumbnail: 0, cameras: 0, ...shape.leaks };
  const evidence: LeakEvidence[] = [];
  for (const surface of ['list', 'stream', 'thumbnail', 'cameras'] as const) {
    for (let i = 0; i < bySurface[surface]; i += 1) evidence.push(leak(surface, evidence.length, shape.probeLeak === true && surface === 'thumbnail' && i === 0));
  }
  const total = evidence.length;
  const reasons = [
    ...(total > 0 ? [`${total} cross-account leaks: users were shown data that was not theirs`] : []),
    ...(shape.unknown ? ['only 0 thumbnails checked (at least 1 needed)'] : []),
  ];
  const verdict: Verdict = {
    status: total > 0 ? 'fail' : shape.unknown ? 'unknown' : 'pass',
    reasons: reasons.length > 0 ? reasons : ['900 items checked, no leak'],
    leaks: { total, recipients: total, owners: total > 0 ? 1 : 0, opened: bySurface.thumbnail, bySurface },
    checked: { total: 900, list: 300, stream: 300, thumbnail: shape.unknown ? 0 : 100, cameras: 200 },
    mismatches: 0,
    roleErrors: 0,
    unknown: 0,
    duplicates: 0,
    events: { emitted: 1000, acked: 1000, delivered: 1000, lost: 0 },
    probes: { sent: 20, refused: shape.probeLeak ? 19 : 20, notRefused: shape.probeLeak ? 1 : 0 },
    latency: { p50: 5, p95: 300, p99: 1200, max: 3000 },
    evidence,
  };
  const reconnect = { outages: 1, unhealed: 0, reconnected: 80, missing: 0, p50: 100, p95: 900, max: 1500, perOutage: [] };
  const summary = summarize(
    {
      scenario: 'storm',
      seed: 7,
      command: 'bin/stampede run storm --seed 7',
      target: 'embedded',
      bug: 'none',
      cameras: 80,
      users: 40,
      durationS: 30,
      startedAt: T0,
      endedAt: T0 + 30_000,
      gates: resolveGates({ leaks: 0, lost: '<0.1%', 'reconnect.p95': '<20s', 'delivery.p99': '<2s' }, shape.gates ?? []),
      ...(shape.interrupted ? { interrupted: shape.interrupted } : {}),
      ...(shape.workers ? { workers: shape.workers } : {}),
    },
    verdict,
    reconnect,
    [],
    0,
  );
  return { summary, evidence, timeline: { startedAt: T0, buckets: [], phases: [] } };
}
