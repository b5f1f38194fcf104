/**
 * The oracle as a pure function of (world, history): a fold of `Oracle.observe` over the records, used to judge
 * a finished run or to judge one again from its journal.
 */
import type { HistoryRecord } from '../world/history.ts';
import type { World } from '../world/types.ts';
import { composeVerdict, emptyTally } from './compose.ts';
import { Oracle } from './oracle.ts';
import { defaultOracleOptions, type OracleOptions, type Verdict } from './verdict.ts';

/**
 * Judges a whole history. Access records go first: with the full timeline known up front, nothing waits on a
 * late admin record and the answer does not depend on how records from different drivers interleaved.
 * `endTime` defaults to the latest time in the history. Never throws: a failure is an 'unknown' verdict.
 */
export function judge(world: World, history: readonly HistoryRecord[], options: Partial<OracleOptions> & { endTime?: number } = {}): Verdict {
  try {
    const oracle = new Oracle(world, options);
    const end = feed(oracle, history);
    return oracle.verdict(options.endTime ?? end);
  } catch (error) {
    const failure = error instanceof Error ? error.message : String(error);
    return composeVerdict(emptyTally(), { failure, options: { ...defaultOracleOptions, ...options } });
  }
}

/** Feeds a whole history to an oracle, access records first (see `judge`); returns the latest time in it. */
export function feed(oracle: Oracle, history: readonly HistoryRecord[]): number {
  // Indexed loops: a for-of over millions of mixed records can fall back to allocating an iterator result each.
  // The oracle tracks the latest time itself: reading it here, from records of a dozen shapes, would box it.
  let sent = 0;
  for (let i = 0; i < history.length; i++) {
    const type = history[i]!.type;
    if (type === 'access') oracle.observe(history[i]!);
    else if (type === 'sent') sent++;
  }
  oracle.expectEvents(sent);
  oracle.accessFedFirst();
  for (let i = 0; i < history.length; i++) oracle.observe(history[i]!);
  return oracle.latestTime();
}
