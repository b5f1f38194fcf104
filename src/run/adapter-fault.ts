/**
 * An adapter fault is a hook that threw something other than the backend's answer, or returned the wrong shape.
 * The drivers record it as an error whose source names the adapter and the hook; a run with any of them has no
 * verdict, because an adapter that fails tested nothing (and must never pass by failing quietly).
 */
import type { HistoryRecord } from '../world/history.ts';

const PREFIX = 'adapter ';

/** The error source for a fault of `hook` (e.g. `users.events`) in the adapter named `adapter`. */
export function adapterFaultSource(adapter: string, hook: string): string {
  return `${PREFIX}${adapter}: ${hook}`;
}

/** Whether a record is an adapter fault (its count, folded records included, is `record.count ?? 1`). */
export function isAdapterFault(record: HistoryRecord): boolean {
  return record.type === 'error' && record.source.startsWith(PREFIX);
}
