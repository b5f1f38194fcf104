/**
 * What a run observed of what it set out to test, as opposed to what it judged: how much of the fleet was
 * connected through each phase, which cameras were heard from, which access changes and faults really took
 * effect, and which services went down. A pure, incremental reducer over history records, like the oracle, so a
 * live run and `stampede report` re-reading its journal observe the same. `expectations.ts` holds it to the plan.
 */
import type { HistoryRecord } from '../world/history.ts';

/** One phase as it happened: from its phase record to the next one (or the run's planned end). */
export interface ObservedPhase {
  name: string;
  start: number;
  end: number;
  /** The mean share of the fleet's cameras connected (welcomed, not yet closed) through the phase, 0..1. */
  connected: number;
}

/** How a fault ended, as far as the history tells: a heal not confirmed is never taken as a heal. */
export type HealState = 'healed' | 'heal-failed' | 'heal-unknown';

export interface ObservedFault {
  id: string;
  fault: string;
  path: 'client' | 'cache';
  /** When the fault took effect, once Toxiproxy confirmed it was in force; null when it never did. */
  start: number | null;
  /** When Toxiproxy confirmed the heal; null when it never did (see `state`). */
  heal: number | null;
  state: HealState;
  /** Why the apply or the heal failed, when one did. */
  failure?: string;
  detail?: Record<string, unknown>;
}

export interface Observed {
  phases: ObservedPhase[];
  /** Distinct cameras with at least one event acknowledged by the target. */
  camerasHeard: number;
  /** Access changes the target confirmed, and those whose admin call failed. */
  access: { applied: number; failed: number };
  faults: ObservedFault[];
  /** Services that went down while the run went, first report of each. */
  down: { service: 'target' | 'toxiproxy'; t: number; message: string }[];
  /** Hooks of the adapter that threw or answered in the wrong shape (error records from `adapter <name>: <hook>`). */
  adapterFaults: AdapterFault[];
}

export interface AdapterFault {
  /** `adapter <name>: <hook>`, as recorded. */
  source: string;
  count: number;
  /** The first one's message. */
  message: string;
}

/** The sentence that makes a run with adapter faults an error: its adapter, not the backend, failed. */
export function adapterFaultReason({ source, count, message }: AdapterFault): string {
  const [, adapter, hook] = /^adapter (.+?): (.+)$/s.exec(source) ?? [undefined, source.slice('adapter '.length), 'a hook'];
  return `the adapter ${adapter} failed in ${hook} ${count === 1 ? 'once' : `${count} times`} (first: ${message}): ` +
    'a run it left untested has no verdict; fix the adapter';
}

export class ObservedRun {
  private readonly connected = new Set<string>();
  private readonly heard = new Set<string>();
  private readonly phases: { name: string; start: number; cameraMs: number }[] = [];
  private readonly faults = new Map<string, ObservedFault>();
  private readonly down: Observed['down'] = [];
  private readonly access = { applied: 0, failed: 0 };
  private readonly adapterFaults = new Map<string, AdapterFault>();
  /** Connected time is counted up to here: records arrive in about time order; a late one adds nothing. */
  private countedTo = -Infinity;

  /**
   * `cameras`: the fleet's size. `durationMs`: the run's planned length; connected time is counted from the first
   * phase record to that much later, so the teardown that closes every socket is not part of the last phase.
   */
  constructor(
    private readonly cameras: number,
    private readonly durationMs: number,
  ) {}

  observe(record: HistoryRecord): void {
    switch (record.type) {
      case 'camera':
        this.advance(record.t);
        if (record.state === 'welcome') this.connected.add(record.cameraId);
        else if (record.state === 'closed' || record.state === 'refused') this.connected.delete(record.cameraId);
        return;
      case 'phase':
        this.advance(record.t);
        this.phases.push({ name: record.name, start: Math.max(record.t, this.countedTo), cameraMs: 0 });
        return;
      case 'acked':
        this.heard.add(record.cameraId);
        return;
      case 'access':
        if (record.ok) this.access.applied += 1;
        else this.access.failed += 1;
        return;
      case 'fault':
        return this.observeFault(record);
      case 'error': {
        if (!record.source.startsWith('adapter ')) return;
        const fault = this.adapterFaults.get(record.source);
        if (fault) fault.count += record.count ?? 1;
        else this.adapterFaults.set(record.source, { source: record.source, count: record.count ?? 1, message: record.message });
        return;
      }
      case 'down':
        if (!this.down.some((d) => d.service === record.service)) this.down.push({ service: record.service, t: record.t, message: record.message });
        return;
      default:
        return;
    }
  }

  /** Faults Toxiproxy confirmed in force and not confirmed healed, as `fault@path`, for live watchers. */
  activeFaults(): string[] {
    return [...this.faults.values()].filter((f) => f.start !== null && f.heal === null).map((f) => `${f.fault}@${f.path}`);
  }

  /** What was observed, the history ending at `endAt` (or the run's planned end, whichever comes first). */
  observed(endAt: number): Observed {
    const until = Math.min(endAt, this.plannedEnd());
    const phases = this.phases.map((phase, i): ObservedPhase => {
      const end = Math.max(phase.start, Math.min(this.phases[i + 1]?.start ?? until, until));
      // The last phase's time since the last record, at the connected count of now.
      const tail = i === this.phases.length - 1 ? this.connected.size * Math.max(0, end - Math.max(phase.start, this.countedTo)) : 0;
      const span = (end - phase.start) * this.cameras;
      return { name: phase.name, start: phase.start, end, connected: span > 0 ? Math.min(1, (phase.cameraMs + tail) / span) : 0 };
    });
    return {
      phases,
      camerasHeard: this.heard.size,
      access: { ...this.access },
      faults: [...this.faults.values()].map((fault) => ({ ...fault })),
      down: [...this.down],
      adapterFaults: [...this.adapterFaults.values()].map((fault) => ({ ...fault })),
    };
  }

  private plannedEnd(): number {
    const first = this.phases[0];
    return first === undefined ? Infinity : first.start + this.durationMs;
  }

  /** Adds the connected time from the last counted moment to `t` to the phase in force. */
  private advance(t: number): void {
    const to = Math.min(t, this.plannedEnd());
    const phase = this.phases.at(-1);
    if (phase !== undefined && to > this.countedTo) phase.cameraMs += this.connected.size * (to - Math.max(this.countedTo, phase.start));
    if (t > this.countedTo) this.countedTo = t;
  }

  private observeFault(record: Extract<HistoryRecord, { type: 'fault' }>): void {
    let fault = this.faults.get(record.id);
    if (fault === undefined) {
      fault = { id: record.id, fault: record.fault, path: record.path, start: null, heal: null, state: 'heal-unknown' };
      this.faults.set(record.id, fault);
    }
    switch (record.action) {
      case 'start':
        fault.start = record.t;
        if (record.detail) fault.detail = record.detail;
        return;
      case 'heal':
        fault.heal = record.t;
        fault.state = 'healed';
        return;
      case 'apply-failed':
        fault.failure = record.message ?? 'Toxiproxy did not confirm it';
        return;
      case 'heal-failed':
        // A later try may still heal it; a failure never overrides a confirmed heal.
        if (fault.state !== 'healed') {
          fault.state = 'heal-failed';
          fault.failure = record.message ?? 'Toxiproxy did not confirm the heal';
        }
        return;
    }
  }
}
