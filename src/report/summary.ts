/**
 * summary.json, the contract other tools and CI jobs read: the verdict, the seed, leak and check counts by
 * surface, event accounting, latency and reconnect figures, and the faults applied. Built from plain data so
 * `stampede report` can rebuild it from a journal. Never holds a secret.
 */
import { evaluateGates, formatActual, type Gate, type GateResult } from '../oracle/gates.ts';
import type { ReconnectStats } from '../oracle/reconnect.ts';
import type { LeakEvidence, Verdict } from '../oracle/verdict.ts';
import type { EngineInstance, HistoryRecord } from '../world/history.ts';

export type { EngineInstance };

export type SummaryVerdict = 'pass' | 'fail' | 'error';

/** How a run was set up, as its journal header records it. */
export interface RunSettings {
  /** `embedded` or the target's base URL. */
  target: string;
  bug: string;
  cameras: number;
  users: number;
  durationS: number;
  /** Who drove the fleet: `node` or `k6`. */
  engine: string;
}

export interface RunFacts extends RunSettings {
  scenario: string;
  seed: number;
  /** The command that repeats this run (no secrets). */
  command: string;
  startedAt: number;
  endedAt: number;
  /** Set when the run stopped early: Ctrl-C, a failing step, a killed process found later. */
  interrupted?: string;
  /** The gates this run is held to (the scenario's, with --gate overrides). */
  gates?: readonly Gate[];
  /** Each engine process's share; absent when the engine runs in this process (node). */
  instances?: readonly EngineInstance[];
  /** Evidence that could not be written (a journal the disk refused), one line each naming the file: never a pass. */
  unwritten?: readonly string[];
}

export interface FaultApplied {
  id: string;
  fault: string;
  path: 'client' | 'cache';
  start: number;
  heal: number | null;
  detail?: Record<string, unknown>;
}

export interface Summary {
  verdict: SummaryVerdict;
  reasons: string[];
  seed: number;
  scenario: string;
  command: string;
  target: string;
  bug: string;
  engine: string;
  /** Each k6 instance's share of the fleet and its delivery; summarize() always writes it, empty for the Node engine. */
  instances?: EngineInstance[];
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
}

/** How many leaks summary.json carries in full (report.html and the journal have the rest). */
const EVIDENCE_IN_SUMMARY = 50;

export function summarize(facts: RunFacts, verdict: Verdict, reconnect: ReconnectStats, faults: FaultApplied[], errors: number): Summary {
  const status: SummaryVerdict = verdict.status === 'unknown' ? 'error' : verdict.status;
  const reasons = [...verdict.reasons];
  if (facts.interrupted) reasons.unshift(`the run stopped early: ${facts.interrupted}`);
  reasons.unshift(...(facts.unwritten ?? []));
  const gates = evaluateGates(facts.gates ?? [], { ...verdict, reconnect, errors });
  const breached = gates.filter((gate) => !gate.ok);
  for (const gate of breached) reasons.push(`gate ${gate.name} ${gate.expression} breached: it was ${formatActual(gate)}`);
  // A leak already fails; an unjudgeable run stays an error (its figures may be incomplete); a breach fails the rest.
  const judged: SummaryVerdict = (facts.interrupted || facts.unwritten?.length) && status === 'pass' ? 'error' : status;
  return {
    verdict: judged === 'pass' && breached.length > 0 ? 'fail' : judged,
    reasons,
    seed: facts.seed,
    scenario: facts.scenario,
    command: facts.command,
    target: facts.target,
    bug: facts.bug,
    engine: facts.engine,
    instances: [...(facts.instances ?? [])],
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

/** Collects the faults applied, pairing each start with its heal; a pure reducer over history records. */
export class FaultLog {
  private readonly byId = new Map<string, FaultApplied>();

  observe(record: HistoryRecord): void {
    if (record.type !== 'fault') return;
    if (record.action === 'start') {
      this.byId.set(record.id, { id: record.id, fault: record.fault, path: record.path, start: record.t, heal: null, ...(record.detail ? { detail: record.detail } : {}) });
    } else {
      const fault = this.byId.get(record.id);
      if (fault) fault.heal = record.t;
    }
  }

  list(): FaultApplied[] {
    return [...this.byId.values()];
  }
}
