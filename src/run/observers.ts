/**
 * Everything that watches the history to judge and describe a run: the oracle, the reconnect tracker, the
 * fault log and the timeline. A live run feeds them as records happen; `stampede report` feeds them the same
 * records from the journal; both end with the same `RunResult`, so a report rebuilt later says what the live
 * run said.
 */
import { Oracle } from '../oracle/oracle.ts';
import { ReconnectTracker } from '../oracle/reconnect.ts';
import type { LeakEvidence } from '../oracle/verdict.ts';
import { FaultLog, summarize, type RunFacts, type Summary } from '../report/summary.ts';
import { TimelineRecorder, type Timeline } from '../report/timeline.ts';
import type { HistoryRecord, Recorder } from '../world/history.ts';
import type { World } from '../world/types.ts';

/** What reporters render: the summary (summary.json), every leak kept in full, and the run over time. */
export interface RunResult {
  summary: Summary;
  evidence: LeakEvidence[];
  timeline: Timeline;
}

export class RunObservers implements Recorder {
  readonly oracle: Oracle;
  private readonly reconnect = new ReconnectTracker();
  private readonly faults = new FaultLog();
  private readonly timeline: TimelineRecorder;
  private errors = 0;

  constructor(world: World, startedAt: number) {
    this.oracle = new Oracle(world);
    this.timeline = new TimelineRecorder(startedAt);
  }

  record(record: HistoryRecord): void {
    this.oracle.observe(record);
    this.reconnect.observe(record);
    this.faults.observe(record);
    this.timeline.observe(record);
    if (record.type === 'error') this.errors += record.count ?? 1;
  }

  /** Faults in force now, as `fault@path`, for live watchers. */
  activeFaults(): string[] {
    return this.faults
      .list()
      .filter((fault) => fault.heal === null)
      .map((fault) => `${fault.fault}@${fault.path}`);
  }

  /** Judges the run as it stands at `facts.endedAt`. */
  result(facts: RunFacts): RunResult {
    const verdict = this.oracle.verdict(facts.endedAt);
    return {
      summary: summarize(facts, verdict, this.reconnect.stats(), this.faults.list(), this.errors),
      evidence: verdict.evidence,
      timeline: this.timeline.timeline(),
    };
  }
}
