/**
 * Whether a split fleet's observations are complete, per worker: the records each one says it made against what
 * the collector received, and that no camera or user was simulated by two. The same check whether the workers are
 * processes this run started or ran elsewhere; only where the tally comes from differs. A lost record could be a
 * hidden leak, so any problem here makes the run unjudgeable, never a pass on a smaller denominator.
 */
import type { WorkerShare } from '../../world/history.ts';
import type { Collector, WorkerClients, WorkerTally } from './collector.ts';

/** How one worker ended, as far as the run can tell. */
export interface WorkerOutcome {
  /** 0-based, as the worker numbers its batches. */
  index: number;
  /** Its own account; undefined when it never gave one. */
  tally: WorkerTally | undefined;
  /** Why there is no tally, or why the worker failed besides (an exit code, its last output line); empty when fine. */
  trouble: string;
}

export interface Delivery {
  workers: WorkerShare[];
  /** Empty for a complete fleet; otherwise why the run cannot be judged. */
  problems: string[];
}

export function judgeDelivery(outcomes: WorkerOutcome[], collector: Collector, log: (line: string) => void, aborted: boolean): Delivery {
  const problems: string[] = [];
  const workers: WorkerShare[] = [];
  const owner = new Map<string, number>();
  for (const { index, tally, trouble } of outcomes) {
    const name = `worker ${index + 1} of ${outcomes.length}`;
    const got = collector.received().get(index) ?? 0;
    const share: WorkerClients = collector.shares().get(index) ?? { cameras: new Set(), users: new Set() };
    workers.push({ worker: index + 1, cameras: share.cameras.size, users: share.users.size, recordsSent: tally?.records ?? null, recordsReceived: got });
    log(`${name}: ${share.cameras.size} cameras, ${share.users.size} users; ` +
      `${tally ? `${tally.records} records made (${tally.batchesFailed} batches given up), ` : ''}${got} received${trouble ? `, ${trouble}` : ''}`);
    // Workers are handed disjoint slices; a client simulated twice would fight itself (4409) and skew the counts.
    for (const id of [...share.cameras, ...share.users]) {
      const other = owner.get(id);
      if (other !== undefined && other !== index) problems.push(`${id} was simulated by workers ${other + 1} and ${index + 1}`);
      owner.set(id, index);
    }
    if (aborted) continue;
    if (!tally) problems.push(`${name} gave no tally (${trouble || 'it never reported'})`);
    else if (tally.records !== got) problems.push(`${name} made ${tally.records} records but the collector received ${got}`);
  }
  for (const index of collector.received().keys()) {
    if (!outcomes.some((outcome) => outcome.index === index)) problems.push(`records came from worker ${index + 1}, which is not one of this run's ${outcomes.length}`);
  }
  return { workers, problems };
}
