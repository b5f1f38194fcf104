/** The oracle's public face: judge a history whole, or feed an `Oracle` live; both answer with a `Verdict`. */
export { judge } from './judge.ts';
export { Oracle, recordTime } from './oracle.ts';
export { defaultOracleOptions } from './verdict.ts';
export type { ActiveFault, BrokenAt, BySurface, LeakEvidence, OracleOptions, Verdict, VerdictStatus } from './verdict.ts';
