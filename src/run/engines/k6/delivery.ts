/**
 * Whether the k6 fleet's observations are complete, per instance: the records each one says it made against what
 * the collector received, and that no camera or user was simulated by two. The same check for k6 processes this
 * run started and for pods started elsewhere; only where the tally comes from differs.
 */
import type { EngineInstance } from '../../../report/summary.ts';
import type { Collector, InstanceShare } from './collector.ts';
import type { InstanceTally } from './summary.ts';

/** How one instance ended, as far as the judge can tell. */
export interface InstanceOutcome {
  index: number;
  segment: string;
  /** Its own account; undefined when it never gave one. */
  tally: InstanceTally | undefined;
  /** Why there is no tally, or why the instance failed besides (an exit code, its last output line); empty when fine. */
  trouble: string;
}

export interface Delivery {
  instances: EngineInstance[];
  /** Empty for a complete run; otherwise why it cannot be judged. */
  problems: string[];
}

export function judgeDelivery(outcomes: InstanceOutcome[], collector: Collector, log: (line: string) => void, aborted: boolean): Delivery {
  const problems: string[] = [];
  const instances: EngineInstance[] = [];
  const owner = new Map<string, number>();
  for (const { index, segment, tally, trouble } of outcomes) {
    const name = `k6 instance ${index + 1}/${outcomes.length} (${segment})`;
    const got = collector.received().get(index) ?? 0;
    const share: InstanceShare = collector.shares().get(index) ?? { cameras: new Set(), users: new Set() };
    instances.push({
      instance: index + 1, segment, cameras: share.cameras.size, users: share.users.size,
      recordsSent: tally?.records ?? null, recordsReceived: got, plainLeaks: tally?.plainLeaks ?? null,
    });
    log(`k6: ${name}: ${share.cameras.size} cameras, ${share.users.size} users; ` +
      `${tally ? `${tally.records} records made (${tally.batchesFailed} batches given up), ` : ''}${got} received, ` +
      `${tally?.plainLeaks ?? '?'} plain leaks counted in the VUs${trouble ? `, ${trouble}` : ''}`);
    // Execution segments promise disjoint slices; a client simulated twice would fight itself (4409) and skew counts.
    for (const id of [...share.cameras, ...share.users]) {
      const other = owner.get(id);
      if (other !== undefined && other !== index) problems.push(`${id} was simulated by instances ${other + 1} and ${index + 1}`);
      owner.set(id, index);
    }
    if (aborted) continue;
    if (!tally) problems.push(`${name} gave no tally (${trouble || 'it never reported'})`);
    else if (tally.records !== got) problems.push(`${name} made ${tally.records} records but the collector received ${got}`);
  }
  for (const index of collector.received().keys()) {
    if (!outcomes.some((outcome) => outcome.index === index)) problems.push(`records came from k6 instance ${index + 1}, which is not one of this run's ${outcomes.length}`);
  }
  return { instances, problems };
}
