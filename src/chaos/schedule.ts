/**
 * A nemesis schedule: which fault starts when, and for how long. Scenarios write steps as plain data; this
 * module validates them once, before anything runs, so a malformed step is one clear error naming the step
 * and the field rather than a failure half way through a run.
 */
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { faultNames, faultSpecSchema, type FaultSpec, type ResolvedFaultSpec } from './fault-spec.ts';

/** One step as a scenario writes it: a fault spec plus when it starts and how long it lasts. */
export type FaultStep = FaultSpec & {
  /** Start, in ms from the start of the run. */
  at: number;
  /** How long the fault stays before it is healed, ms; left out, it lasts until the nemesis ends. */
  duration?: number;
  /** Names the step in messages, e.g. `phase outage, fault 1`; defaults to `step N`. */
  label?: string;
};

/** A validated step, ready to run. */
export interface PlannedFault {
  /** Position in the schedule, from 0; unique, so it makes fault ids unique. */
  index: number;
  label: string;
  at: number;
  /** When it is healed, ms from the start of the run; undefined = when the nemesis ends. */
  until: number | undefined;
  spec: ResolvedFaultSpec;
}

/** A phase as the run plans it (structurally the orchestrator's Phase, which chaos must not import). */
export interface FaultPhase {
  name: string;
  startMs: number;
  endMs: number;
  faults: readonly FaultSpec[];
}

/** Longest time a schedule may name: a week, well inside what Node timers can wait (about 24.8 days). */
export const MAX_SCHEDULE_MS = 7 * 24 * 3_600_000;

const timing = z.strictObject({
  at: z.number().int().min(0).max(MAX_SCHEDULE_MS),
  duration: z.number().int().min(1).max(MAX_SCHEDULE_MS).optional(),
  label: z.string().min(1).optional(),
});

/** Steps for faults that start with their phase and are healed when it ends. */
export function stepsFromPhases(phases: readonly FaultPhase[]): FaultStep[] {
  return phases.flatMap((phase) =>
    phase.faults.map((fault, i) => ({ ...fault, at: phase.startMs, duration: phase.endMs - phase.startMs, label: `phase ${phase.name}, fault ${i + 1}` })),
  );
}

/** Validates a schedule; throws one UsageError listing every problem, each naming its step and field. */
export function parseSchedule(steps: unknown): PlannedFault[] {
  if (!Array.isArray(steps)) throw new UsageError('the fault schedule must be a list of steps', 'write e.g. [{ at: 0, duration: 5000, fault: "outage", path: "client" }]');
  const problems: string[] = [];
  const planned: PlannedFault[] = [];
  steps.forEach((raw: unknown, index) => {
    let label = `step ${index + 1}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`${label}: must be an object`);
      return;
    }
    const { at, duration, label: given, ...fault } = raw as Record<string, unknown>;
    if (typeof given === 'string' && given.length > 0) label = given;
    const when = timing.safeParse({ at, duration, label: given });
    if (!when.success) problems.push(...describeIssues(label, when.error));
    if (!(faultNames as readonly unknown[]).includes(fault.fault)) {
      problems.push(`${label}: field "fault" is ${JSON.stringify(fault.fault)}, expected one of ${faultNames.join(', ')}`);
      return;
    }
    const spec = faultSpecSchema.safeParse(fault);
    if (!spec.success) problems.push(...describeIssues(`${label} (${String(fault.fault)})`, spec.error));
    if (when.success && spec.success) {
      const until = when.data.duration === undefined ? undefined : when.data.at + when.data.duration;
      planned.push({ index, label, at: when.data.at, until, spec: spec.data });
    }
  });
  problems.push(...overlappingOutages(planned));
  if (problems.length > 0) throw new UsageError(`bad fault schedule: ${problems.join('; ')}`, 'fix the scenario\'s faults');
  return planned;
}

function describeIssues(label: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `${label}: unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    const field = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'spec';
    return `${label}: ${field}: ${issue.message}`;
  });
}

/**
 * Two outages overlapping on one proxy would fight: the first heal re-enables the proxy while the second is
 * meant to hold it down. Refused up front rather than reference-counted, since a scenario that does it is a mistake.
 */
function overlappingOutages(planned: readonly PlannedFault[]): string[] {
  const outages = planned.filter((step) => step.spec.fault === 'outage');
  const problems: string[] = [];
  for (const [i, a] of outages.entries()) {
    for (const b of outages.slice(i + 1)) {
      const overlap = a.spec.path === b.spec.path && a.at < (b.until ?? Infinity) && b.at < (a.until ?? Infinity);
      if (overlap) problems.push(`${b.label}: its outage overlaps the outage of ${a.label} on the ${a.spec.path} proxy`);
    }
  }
  return problems;
}
