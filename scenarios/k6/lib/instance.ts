/**
 * Which k6 instance this is, for the collector's per-instance count. The orchestrator says so with
 * STAMPEDE_INSTANCE; k6-operator gives its pods nothing but their execution segment, so the number is the segment's
 * position in the sequence (`1/3:2/3` in `0,1/3,2/3,1` is instance 1).
 */
export function instanceOf(explicit: number | undefined, segment: string | null | undefined, sequence: string | null | undefined): number {
  if (explicit !== undefined) return explicit;
  if (!segment) return 0;
  const start = fraction(segment.split(':')[0] ?? '0');
  const points = (sequence ?? '').split(',').filter((point) => point.trim() !== '').map(fraction);
  const index = points.findIndex((point) => Math.abs(point - start) < 1e-9);
  // Without a sequence, segments are still told apart by where they start.
  return index >= 0 ? index : Math.round(start * 1_000_000);
}

function fraction(text: string): number {
  const value = text.trim();
  if (value.endsWith('%')) return Number(value.slice(0, -1)) / 100;
  const [numerator, denominator] = value.split('/');
  return denominator === undefined ? Number(numerator) : Number(numerator) / Number(denominator);
}
