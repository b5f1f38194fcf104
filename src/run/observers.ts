/**
 * Everything that watches the history to judge and describe a run: the oracle, what the run observed of what it
 * set out to test (held to its expectations), the reconnect tracker and the timeline. A live run feeds them as records happen; `stampede report` feeds them the same
 * records from the journal; both end with the same `RunResult`, so a report rebuilt later says what the live
 * run said.
 */
import { shortfalls, type Expectations } from '../oracle/expectations.ts';
import { adapterFaultReason, ObservedRun } from '../oracle/observed.ts';
import { Oracle } from '../oracle/oracle.ts';
import { ReconnectTracker } from '../oracle/reconnect.ts';
import type { RunResult } from '../report/result.ts';
import { LoadTally } from '../report/load.ts';
import { faultsApplied, summarize, type RunFacts } from '../report/summary.ts';
import { TimelineRecorder } from '../report/timeline.ts';
import type { HistoryRecord, Recorder } from '../world/history.ts';
import type { World } from '../world/types.ts';

export class RunObservers implements Recorder {
  readonly oracle: Oracle;
  private readonly observedRun: ObservedRun;
  private readonly reconnect = new ReconnectTracker();
  private readonly timeline: TimelineRecorder;
  private readonly load = new LoadTally();
  private errors = 0;

  /** `expected`: what the run set out to observe; absent only for a journal written before runs stated it. */
  constructor(
    world: World,
    startedAt: number,
    private readonly expected?: Expectations,
  ) {
    this.oracle = new Oracle(world);
    this.observedRun = new ObservedRun(world.cameras.length, expected?.durationMs ?? Infinity);
    this.timeline = new TimelineRecorder(startedAt);
  }

  record(record: HistoryRecord): void {
    this.oracle.observe(record);
    this.observedRun.observe(record);
    this.reconnect.observe(record);
    this.timeline.observe(record);
    this.load.observe(record);
    if (record.type === 'error') this.errors += record.count ?? 1;
  }

  /** Faults in force now, as `fault@path`, for live watchers. */
  activeFaults(): string[] {
    return this.observedRun.activeFaults();
  }

  /** Judges the run as it stands at `facts.endedAt`. */
  result(facts: RunFacts): RunResult {
    const verdict = this.oracle.verdict(facts.endedAt);
    const observed = this.observedRun.observed(facts.endedAt);
    const short = this.expected ? shortfalls(observed, this.expected, verdict.checked) : [];
    const summary = summarize(facts, verdict, this.reconnect.stats(), faultsApplied(observed.faults), this.errors, short, observed.adapterFaults.map(adapterFaultReason));
    const load = this.load.figures();
    return {
      summary: load ? { ...summary, load } : summary,
      evidence: verdict.evidence,
      timeline: this.timeline.timeline(),
    };
  }
}
