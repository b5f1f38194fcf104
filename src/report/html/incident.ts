/**
 * The incident as a reader wants it first: the earliest leak, the outage (or other fault) that came before it,
 * and who was affected. Derived from the run result only, so a report rebuilt from a journal says the same.
 */
import type { LeakEvidence } from '../../oracle/verdict.ts';
import type { FaultApplied } from '../summary.ts';
import type { RunResult } from '../result.ts';

/** The leaks embedded in full in report.html; the headline still counts them all. */
export const MAX_LEAK_ROWS = 1000;

/** A leak as the report shows it: its number in the table and its offset on the timeline. */
export interface LeakRow {
  /** 1-based, in the order the leaks happened; also the anchor shared by the table row and the timeline marker. */
  n: number;
  /** Seconds since the run started. */
  s: number;
  evidence: LeakEvidence;
}

export interface FirstLeak {
  leak: LeakRow;
  /** The latest client outage that started at or before the leak, healed or not. */
  outageBefore: FaultApplied | undefined;
  /** The latest fault of any kind that started at or before the leak, when it is not that outage. */
  faultBefore: FaultApplied | undefined;
}

/** Distinct users and how many of the embedded leaks involve them, most involved first. */
export interface Affected {
  recipients: { userId: string; leaks: number }[];
  owners: { userId: string; leaks: number }[];
}

/** The embedded leaks in time order, numbered; at most `MAX_LEAK_ROWS`. */
export function leakRows(result: RunResult): LeakRow[] {
  const origin = result.timeline.startedAt;
  return [...result.evidence]
    .sort((a, b) => a.at - b.at)
    .slice(0, MAX_LEAK_ROWS)
    .map((evidence, i) => ({ n: i + 1, s: Math.max(0, (evidence.at - origin) / 1000), evidence }));
}

export function firstLeak(rows: readonly LeakRow[], faults: readonly FaultApplied[]): FirstLeak | undefined {
  const leak = rows[0];
  if (!leak) return undefined;
  const before = faults.filter((fault) => fault.start <= leak.evidence.at).sort((a, b) => a.start - b.start);
  const outageBefore = before.filter((fault) => fault.fault === 'outage' && fault.path === 'client').at(-1);
  const latest = before.at(-1);
  return { leak, outageBefore, faultBefore: latest === outageBefore ? undefined : latest };
}

export function affected(rows: readonly LeakRow[]): Affected {
  const recipients = new Map<string, number>();
  const owners = new Map<string, number>();
  for (const { evidence } of rows) {
    recipients.set(evidence.recipient, (recipients.get(evidence.recipient) ?? 0) + 1);
    for (const owner of evidence.owners) owners.set(owner, (owners.get(owner) ?? 0) + 1);
  }
  return { recipients: ranked(recipients), owners: ranked(owners) };
}

function ranked(counts: Map<string, number>): { userId: string; leaks: number }[] {
  return [...counts].map(([userId, leaks]) => ({ userId, leaks })).sort((a, b) => b.leaks - a.leaks || a.userId.localeCompare(b.userId));
}
