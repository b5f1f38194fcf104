/**
 * Execution segments: how N k6 processes split one test the way k6-operator splits a TestRun across pods. Every
 * instance gets the same sequence and its own segment, so per-VU scenarios hand each camera and user to exactly
 * one instance and arrival rates are divided between them.
 */
export interface Segment {
  /** e.g. "1/3:2/3". */
  segment: string;
  /** e.g. "0,1/3,2/3,1". */
  sequence: string;
}

export function segments(instances: number): Segment[] {
  if (!Number.isInteger(instances) || instances < 1) throw new RangeError(`instances must be a whole number >= 1, got ${instances}`);
  const point = (i: number): string => (i === 0 ? '0' : i === instances ? '1' : `${i}/${instances}`);
  const sequence = Array.from({ length: instances + 1 }, (_, i) => point(i)).join(',');
  return Array.from({ length: instances }, (_, i) => ({ segment: `${point(i)}:${point(i + 1)}`, sequence }));
}
