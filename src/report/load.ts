/**
 * The users' HTTP load as the tool that made it measured it: autocannon's figures for the refresh storm, one
 * `load` record per fleet (each worker process and proxy shard runs its own autocannon), merged into one. Latency
 * histograms are added exactly (autocannon's own `aggregateResult`); requests and bytes per second, which autocannon
 * samples per second in each fleet, add up across fleets that ran side by side.
 */
import autocannon from 'autocannon';
import hdr from 'hdr-histogram-js';
import type { HistoryRecord } from '../world/history.ts';

/** summary.json's `load`: what autocannon measured of the users' requests. Times in ms. */
export interface LoadFigures {
  tool: 'autocannon';
  /** Fleets that ran it (one per worker and shard) and the connections they held, one per user. */
  fleets: number;
  connections: number;
  /** The longest fleet's run, in seconds. */
  durationS: number;
  /** Answers read, requests sent, and answers a second (each fleet's mean over its one-second samples, summed). */
  requests: { total: number; sent: number; perSecond: number };
  /** Bytes read in all, and a second (summed as requests are). */
  throughput: { bytes: number; perSecond: number };
  latency: { mean: number; stddev: number; min: number; p50: number; p90: number; p97_5: number; p99: number; p99_9: number; max: number };
  /** Connections that failed (an outage refuses them), requests that timed out, and answers that were not 2xx. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Answers by HTTP status. */
  statusCodes: Record<string, number>;
}

type LoadRecord = Extract<HistoryRecord, { type: 'load' }>;

/** autocannon 9's merge of raw results (its typings, written for 7.x, lack it); only the latency is read. */
const aggregateResult = (autocannon as unknown as {
  aggregateResult(results: readonly unknown[], options: { url: string; connections: number }): { latency: Record<'mean' | 'stddev' | 'min' | 'p50' | 'p90' | 'p97_5' | 'p99' | 'p99_9' | 'max', number> };
}).aggregateResult;

/** The raw result of one autocannon run with `skipAggregateResult`, as far as the figures read it. */
interface RawResult {
  requests: string;
  totalCompletedRequests: number;
  totalRequests: number;
  totalBytes: number;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

export class LoadTally {
  private readonly records: LoadRecord[] = [];

  observe(record: HistoryRecord): void {
    if (record.type === 'load') this.records.push(record);
  }

  /** The merged figures; undefined when no fleet used a load tool (or what it said cannot be read). */
  figures(): LoadFigures | undefined {
    if (this.records.length === 0) return undefined;
    try {
      return merge(this.records);
    } catch {
      // A journal from elsewhere with a mangled result: the run is judged all the same, without these figures.
      return undefined;
    }
  }
}

function merge(records: readonly LoadRecord[]): LoadFigures {
  const raws = records.map((record) => record.result as unknown as RawResult);
  const connections = sum(records, (record) => record.connections);
  // A copy: aggregateResult adds the others' counts into the first result it is given.
  const merged = aggregateResult(structuredClone(raws), { url: 'http://127.0.0.1', connections });
  const perSecond = (of: (raw: RawResult) => number): number => sum(raws, (raw) => (raw.duration > 0 ? of(raw) / raw.duration : 0));
  const { latency } = merged;
  return {
    tool: 'autocannon',
    fleets: records.length,
    connections,
    durationS: Math.max(...raws.map((raw) => raw.duration)),
    requests: {
      total: sum(raws, (raw) => raw.totalCompletedRequests),
      sent: sum(raws, (raw) => raw.totalRequests),
      perSecond: round(sum(raws, (raw) => sampledMean(raw.requests))),
    },
    throughput: { bytes: sum(raws, (raw) => raw.totalBytes), perSecond: Math.round(perSecond((raw) => raw.totalBytes)) },
    latency: {
      mean: latency.mean, stddev: latency.stddev, min: latency.min, p50: latency.p50, p90: latency.p90, p97_5: latency.p97_5, p99: latency.p99,
      p99_9: latency.p99_9, max: latency.max,
    },
    errors: sum(raws, (raw) => raw.errors),
    timeouts: sum(raws, (raw) => raw.timeouts),
    non2xx: sum(raws, (raw) => raw.non2xx),
    statusCodes: statusCodes(raws),
  };
}

/** autocannon's own requests-a-second figure for one fleet: the mean of its one-second samples. */
function sampledMean(encoded: string): number {
  const histogram = hdr.decodeFromCompressedBase64(encoded);
  try {
    return histogram.mean;
  } finally {
    histogram.destroy();
  }
}

function statusCodes(raws: readonly RawResult[]): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const raw of raws) for (const [code, { count }] of Object.entries(raw.statusCodeStats)) codes[code] = (codes[code] ?? 0) + count;
  return codes;
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
