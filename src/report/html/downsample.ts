/**
 * Fits a timeline of any length into a bounded number of chart points, so an hours-long soak still makes a
 * report a browser opens quickly. Counters become per-second rates averaged over each window; gauges keep the
 * window's minimum, because the dips (cameras dropped by an outage) are what a reader is looking for.
 */
import type { TimelineBucket } from '../timeline.ts';

/** One chart point: a window of `width` seconds starting at second `s`; rates are per second. */
export interface ChartPoint {
  s: number;
  width: number;
  cameras: number;
  streams: number;
  acked: number;
  shown: number;
  errors: number;
}

export const MAX_CHART_POINTS = 1200;

export function downsample(buckets: readonly TimelineBucket[], maxPoints = MAX_CHART_POINTS): ChartPoint[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 1) throw new RangeError(`maxPoints must be a positive integer, got ${maxPoints}`);
  const width = Math.max(1, Math.ceil(buckets.length / maxPoints));
  const points: ChartPoint[] = [];
  for (let start = 0; start < buckets.length; start += width) {
    const window = buckets.slice(start, start + width);
    const seconds = window.length;
    points.push({
      s: window[0]!.s,
      width: seconds,
      cameras: Math.min(...window.map((b) => b.cameras)),
      streams: Math.min(...window.map((b) => b.streams)),
      acked: sum(window, 'acked') / seconds,
      shown: sum(window, 'shown') / seconds,
      errors: sum(window, 'errors') / seconds,
    });
  }
  return points;
}

function sum(window: readonly TimelineBucket[], key: 'acked' | 'shown' | 'errors'): number {
  let total = 0;
  for (const bucket of window) total += bucket[key];
  return total;
}
