/**
 * What reporters render: the summary (summary.json), every leak kept in full, and the run over time. A live run
 * and `stampede report` both produce one (run/observers.ts), so reporters need nothing from the orchestrator.
 */
import type { LeakEvidence } from '../oracle/verdict.ts';
import type { Summary } from './summary.ts';
import type { Timeline } from './timeline.ts';

export interface RunResult {
  summary: Summary;
  evidence: LeakEvidence[];
  timeline: Timeline;
}
