/**
 * The one place a run's verdict and exit code are decided. The oracle says whether anyone was shown what is not
 * theirs; this weighs that against everything else that makes a run fail or leaves it unjudged: what it set out
 * to observe and did not, its gates, an interruption, evidence it could not write, a step that failed. Pure:
 * the live run and `stampede report` both come here, so a report rebuilt from a journal says what the run said.
 */
import { ExitCode, exitCodeOf } from '../errors.ts';
import { formatActual, type GateResult } from '../oracle/gates.ts';
import type { Verdict } from '../oracle/verdict.ts';

/** pass: nothing leaked and the run tested what it meant to; fail: a leak or a breached gate; error: no verdict. */
export type RunVerdict = 'pass' | 'fail' | 'error';

/** How the run ended, besides its verdict: only the exit code depends on it. */
export interface RunEnding {
  /** A step that failed (or output that could not be written): its error's exit code. */
  failure?: { error: unknown };
  /** Stopped by Ctrl-C. */
  stopped?: boolean;
}

export interface VerdictInputs extends RunEnding {
  oracle: Pick<Verdict, 'status' | 'reasons' | 'leaks'>;
  /** What the run set out to observe and did not (oracle/expectations.ts). */
  shortfalls: readonly string[];
  /** Every gate, already evaluated against the run's figures. */
  gates: readonly GateResult[];
  /** Why the run stopped early, if it did. */
  interrupted?: string;
  /**
   * Why the oracle's answer itself cannot be trusted, if it cannot: records judged out of time order put a push
   * after a revoke it beat, or a welcome after its phase was counted. No verdict then, not even from a leak.
   */
  unjudged?: string;
  /** Evidence that could not be written, one line each naming the file. */
  unwritten?: readonly string[];
  /** The adapter's faults (a hook that threw or answered in the wrong shape), one sentence each: never a pass. */
  adapterFaults?: readonly string[];
}

export interface Decision {
  verdict: RunVerdict;
  /** Why, headline first: what was lost, why it stopped, a leak, what was not observed, the oracle's, breached gates. */
  reasons: string[];
  exitCode: ExitCode;
}

export function decide(inputs: VerdictInputs): Decision {
  const { oracle, shortfalls, gates, interrupted, unjudged, unwritten = [], adapterFaults = [] } = inputs;
  const status: RunVerdict = oracle.status === 'unknown' ? 'error' : oracle.status;
  // A leak is the headline whatever else happened; then why the run may not have tested anything.
  const leading = oracle.leaks.total > 0 ? 1 : 0;
  const reasons = [...oracle.reasons.slice(0, leading), ...adapterFaults, ...shortfalls, ...oracle.reasons.slice(leading)];
  if (interrupted) reasons.unshift(`the run stopped early: ${interrupted}`);
  // Its leaks stay in the counts and the evidence (nothing is hidden), but they are not a verdict: the headline says why.
  if (unjudged) reasons.unshift(`not judged: ${unjudged}; the leaks and figures below are what the oracle made of them out of order, right or wrong`);
  reasons.unshift(...unwritten);
  const breached = gates.filter((gate) => !gate.ok);
  for (const gate of breached) reasons.push(`gate ${gate.name} ${gate.expression} breached: it was ${formatActual(gate)}`);
  // Anything that leaves the run untested turns a pass into an error, while a leak still fails.
  const untested = interrupted || unwritten.length > 0 || shortfalls.length > 0 || inputs.failure !== undefined || inputs.stopped;
  const judged: RunVerdict = untested && status === 'pass' ? 'error' : status;
  // A leak already fails; an unjudgeable run stays an error (its figures may be incomplete); a breach fails the rest.
  const gated: RunVerdict = judged === 'pass' && breached.length > 0 ? 'fail' : judged;
  // A faulty adapter may have left the target untested, so a run it faulted in cannot pass. A leak it recorded
  // still fails: the oracle judged only what the adapter's good calls answered, and hiding that is the one thing
  // Stampede must never do (the faults stay among the reasons).
  const faulted: RunVerdict = adapterFaults.length > 0 && oracle.leaks.total === 0 ? 'error' : gated;
  const verdict: RunVerdict = unjudged ? 'error' : faulted;
  return { verdict, reasons, exitCode: exitCodeOfVerdict(verdict, inputs) };
}

/**
 * The process exit code of a judged run, for every subcommand that judges one: Ctrl-C is 130, a step that failed
 * has its own code (3 for anything unforeseen, never 2), otherwise 0 pass, 1 fail, 3 error.
 */
export function exitCodeOfVerdict(verdict: RunVerdict, ending: RunEnding = {}): ExitCode {
  if (ending.stopped) return ExitCode.interrupted;
  if (ending.failure !== undefined) return exitCodeOf(ending.failure.error);
  return verdict === 'pass' ? ExitCode.ok : verdict === 'fail' ? ExitCode.failed : ExitCode.unavailable;
}
