/**
 * The run's context at any moment: which phase it was in and which faults were active. Evidence is stamped with
 * it at the end, not when a leak is seen, because a phase or fault record may arrive after the items it covers.
 * Both lists stay small (a handful of phases, one entry per fault applied), so lookups are plain scans.
 */
import type { HistoryRecord } from '../world/history.ts';
import type { ActiveFault } from './verdict.ts';

type PhaseRecord = Extract<HistoryRecord, { type: 'phase' }>;
type FaultRecord = Extract<HistoryRecord, { type: 'fault' }>;

interface FaultSpan extends ActiveFault {
  start: number;
  /** Infinity until the heal arrives: a fault never healed is active to the end. */
  heal: number;
}

export class RunContext {
  private readonly phases: { t: number; name: string }[] = [];
  private readonly faults = new Map<string, FaultSpan>();

  observePhase(record: PhaseRecord): void {
    this.phases.push({ t: record.t, name: record.name });
  }

  observeFault(record: FaultRecord): void {
    // A failed apply or heal changes nothing here: until a heal is confirmed, the fault counts as in force.
    if (record.action !== 'start' && record.action !== 'heal') return;
    const span = this.faults.get(record.id);
    if (record.action === 'start') {
      // A heal may be recorded before its start (two recorders); keep whichever half arrived first.
      if (span === undefined) this.faults.set(record.id, { id: record.id, fault: record.fault, path: record.path, start: record.t, heal: Infinity });
      else span.start = record.t;
    } else if (span === undefined) {
      this.faults.set(record.id, { id: record.id, fault: record.fault, path: record.path, start: -Infinity, heal: record.t });
    } else span.heal = record.t;
  }

  /** The phase in force at `t`: the latest phase that began at or before it. */
  phaseAt(t: number): string | null {
    let best: { t: number; name: string } | null = null;
    for (const phase of this.phases) if (phase.t <= t && (best === null || phase.t >= best.t)) best = phase;
    return best?.name ?? null;
  }

  faultsAt(t: number): ActiveFault[] {
    const active: ActiveFault[] = [];
    for (const span of this.faults.values()) {
      if (span.start <= t && t < span.heal) active.push({ id: span.id, fault: span.fault, path: span.path });
    }
    return active;
  }
}
