/**
 * Turns the oracle's counters into a verdict, composed like Jepsen's checkers: a leak is false and beats
 * everything; doubt (a checker error, too little seen, items that cannot be judged) is unknown and beats true;
 * only a run with enough checked and nothing wrong passes.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { LeakEvidence, OracleOptions, Verdict, VerdictStatus } from './verdict.ts';

/** The counters the oracle keeps as it goes; the rest of a verdict is derived at the end. */
export type Tally = Omit<Verdict, 'status' | 'reasons' | 'leaks' | 'events' | 'latency' | 'evidence' | 'late'> & {
  late: number;
  leaks: Pick<Verdict['leaks'], 'total' | 'bySurface'>;
  events: Omit<Verdict['events'], 'lost'>;
};

export function emptyTally(): Tally {
  const bySurface = () => ({ list: 0, stream: 0, thumbnail: 0, cameras: 0 });
  return {
    leaks: { total: 0, bySurface: bySurface() },
    checked: { total: 0, ...bySurface() },
    mismatches: 0,
    roleErrors: 0,
    unknown: 0,
    duplicates: 0,
    events: { emitted: 0, acked: 0, delivered: 0 },
    probes: { sent: 0, refused: 0, notRefused: 0 },
    late: 0,
  };
}

export interface Outcome {
  lost?: number;
  recipients?: number;
  owners?: number;
  opened?: number;
  latency?: Histogram;
  evidence?: LeakEvidence[];
  /** The first error inside the oracle, if any: the verdict can then never pass. */
  failure: string | null;
  options: OracleOptions;
}

export function composeVerdict(tally: Tally, outcome: Outcome): Verdict {
  const { options } = outcome;
  const leaks = tally.leaks.total;
  const doubts: string[] = [];
  if (outcome.failure !== null) doubts.push(`the oracle failed while judging: ${outcome.failure}`);
  if (tally.checked.total < options.minChecked) doubts.push(`only ${tally.checked.total} items checked (at least ${options.minChecked} needed)`);
  if (tally.events.delivered < options.minDelivered) {
    doubts.push(`only ${tally.events.delivered} events delivered to an entitled user (at least ${options.minDelivered} needed)`);
  }
  if (tally.checked.thumbnail < options.minThumbnails) {
    doubts.push(`only ${tally.checked.thumbnail} thumbnails checked (at least ${options.minThumbnails} needed)`);
  }
  if (tally.unknown > options.maxUnknown) doubts.push(`${tally.unknown} items could not be judged (at most ${options.maxUnknown} allowed)`);

  const status: VerdictStatus = leaks > 0 ? 'fail' : doubts.length > 0 ? 'unknown' : 'pass';
  const reasons = leaks > 0 ? [`${leaks} cross-account leaks: users were shown data that was not theirs`, ...doubts] : doubts;
  if (status === 'pass') reasons.push(`${tally.checked.total} items checked, no leak`);
  if (tally.late > 0) reasons.push(`${tally.late} records named events older than the oracle's horizon; their sights were judged by camera only`);

  const histogram = outcome.latency;
  const seen = histogram !== undefined && histogram.totalCount > 0;
  const at = (percentile: number): number => (seen ? histogram.getValueAtPercentile(percentile) : 0);
  return {
    status,
    reasons,
    leaks: {
      total: leaks,
      recipients: outcome.recipients ?? 0,
      owners: outcome.owners ?? 0,
      opened: outcome.opened ?? 0,
      bySurface: { ...tally.leaks.bySurface },
    },
    checked: { ...tally.checked },
    mismatches: tally.mismatches,
    roleErrors: tally.roleErrors,
    unknown: tally.unknown,
    duplicates: tally.duplicates,
    events: { ...tally.events, lost: outcome.lost ?? 0 },
    probes: { ...tally.probes },
    latency: { p50: at(50), p95: at(95), p99: at(99), max: seen ? histogram.maxValue : 0 },
    evidence: outcome.evidence ?? [],
    ...(tally.late > 0 && { late: tally.late }),
  };
}
