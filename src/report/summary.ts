/**
 * summary.json, the contract other tools and CI jobs read: the verdict, the seed, leak and check counts by
 * surface, event accounting, latency and reconnect figures, and the faults applied. Built from plain data so
 * `stampede report` can rebuild it from a journal. Never holds a secret.
 */
import { evaluateGates, type Gate, type GateResult } from '../oracle/gates.ts';
import type { ReconnectStats } from '../oracle/reconnect.ts';
import type { HealState, ObservedFault } from '../oracle/observed.ts';
import type { LeakEvidence, Verdict } from '../oracle/verdict.ts';
import { decide, type RunVerdict } from '../verdict/decide.ts';
import type { WorkerShare } from '../world/history.ts';
import type { LoadFigures } from './load.ts';
import type { RunSettings } from '../world/journal-header.ts';

export type { WorkerShare };

export type SummaryVerdict = RunVerdict;

export interface RunFacts extends RunSettings {
  scenario: string;
  seed: number;
  /** The command that repeats this run (no secrets). */
  command: string;
  startedAt: number;
  endedAt: number;
  /** Set when the run stopped early: Ctrl-C, a failing step, a killed process found later. */
  interrupted?: string;
  /** Why the oracle's answer itself cannot be trusted (records it judged out of time order): no verdict, leaks or not. */
  unjudged?: string;
  /** The gates this run is held to (the scenario's, with --gate overrides). */
  gates?: readonly Gate[];
  /** Each worker process's share; absent when the fleet ran in the run's own process. */
  workers?: readonly WorkerShare[];
  /** Evidence that could not be written (a journal the disk refused), one line each naming the file: never a pass. */
  unwritten?: readonly string[];
}

/** A fault Toxiproxy confirmed in force; a planned fault that never was is not listed (the reasons say so). */
export interface FaultApplied {
  id: string;
  fault: string;
  path: 'client' | 'cache';
  start: number;
  /** When Toxiproxy confirmed the heal; null when it never did, `state` saying whether it failed or is unknown. */
  heal: number | null;
  state: HealState;
  detail?: Record<string, unknown>;
}

export interface Summary {
  verdict: SummaryVerdict;
  reasons: string[];
  /** What the run set out to observe and did not (a service down, a fault not applied...); any makes it an error. */
  shortfalls: string[];
  /** The adapter's hooks that threw or answered in the wrong shape, one sentence each; any makes it an error. */
  adapterFaults?: string[];
  /** The adapter the run talked through (`reference`: the built-in one). */
  adapter?: string;
  /** What the run left out and why, plainly (e.g. no ownership changes for an adapter without world control). */
  notes?: string[];
  seed: number;
  scenario: string;
  command: string;
  target: string;
  bug: string;
  /** Each worker's share of the fleet and its delivery; summarize() always writes it, empty for an unsplit fleet. */
  workers?: WorkerShare[];
  world: { cameras: number; users: number };
  durationS: number;
  startedAt: string;
  endedAt: string;
  interrupted?: string;
  leaks: Verdict['leaks'];
  checked: Verdict['checked'];
  events: Verdict['events'];
  mismatches: number;
  unknown: number;
  duplicates: number;
  roleErrors: number;
  probes: Verdict['probes'];
  latency: Verdict['latency'];
  reconnect: Omit<ReconnectStats, 'perOutage'> & { perOutage: ReconnectStats['perOutage'] };
  faults: FaultApplied[];
  errors: number;
  /** Every gate, judged; a breached one fails a run that would otherwise pass. */
  gates: GateResult[];
  /** The first leaks in full; `leaks.total` counts them all. */
  evidence: LeakEvidence[];
  /** What the load tool that drove the users' requests measured of them (autocannon, in `refresh-storm`). */
  load?: LoadFigures;
}

/** How many leaks summary.json carries in full (report.html and the journal have the rest). */
const EVIDENCE_IN_SUMMARY = 50;

/**
 * The run's figures, with its verdict and reasons as verdict/decide.ts decides them. `shortfalls` are what it set
 * out to observe and did not (expectations.ts).
 */
export function summarize(
  facts: RunFacts, verdict: Verdict, reconnect: ReconnectStats, faults: FaultApplied[], errors: number, shortfalls: readonly string[] = [],
  adapterFaults: readonly string[] = [],
): Summary {
  const gates = evaluateGates(facts.gates ?? [], { ...verdict, reconnect, errors });
  const decided = decide({ oracle: verdict, shortfalls, gates, interrupted: facts.interrupted, unjudged: facts.unjudged, unwritten: facts.unwritten, adapterFaults });
  return {
    verdict: decided.verdict,
    reasons: decided.reasons,
    shortfalls: [...shortfalls],
    adapterFaults: [...adapterFaults],
    adapter: facts.adapter ?? 'reference',
    notes: [...(facts.notes ?? [])],
    seed: facts.seed,
    scenario: facts.scenario,
    command: facts.command,
    target: facts.target,
    bug: facts.bug,
    workers: [...(facts.workers ?? [])],
    world: { cameras: facts.cameras, users: facts.users },
    durationS: facts.durationS,
    startedAt: new Date(facts.startedAt).toISOString(),
    endedAt: new Date(facts.endedAt).toISOString(),
    ...(facts.interrupted ? { interrupted: facts.interrupted } : {}),
    leaks: verdict.leaks,
    checked: verdict.checked,
    events: verdict.events,
    mismatches: verdict.mismatches,
    unknown: verdict.unknown,
    duplicates: verdict.duplicates,
    roleErrors: verdict.roleErrors,
    probes: verdict.probes,
    latency: verdict.latency,
    reconnect,
    faults,
    errors,
    gates,
    evidence: verdict.evidence.slice(0, EVIDENCE_IN_SUMMARY),
  };
}

/** The faults Toxiproxy confirmed in force, as summary.json lists them. */
export function faultsApplied(observed: readonly ObservedFault[]): FaultApplied[] {
  return observed.flatMap(({ id, fault, path, start, heal, state, detail }) =>
    start === null ? [] : [{ id, fault, path, start, heal, state, ...(detail ? { detail } : {}) }]);
}
