/**
 * The nemesis: runs a scenario's fault schedule against the run's proxies and records every start and heal in
 * the history, next to what the drivers saw. Its promise is that nothing stays broken: every fault it applied is
 * healed at the end of its step, at the deadline, on abort (Ctrl-C) and through `healAll()`, and a Toxiproxy
 * call that fails becomes an `error` record, never an unhandled rejection.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../errors.ts';
import type { Recorder } from '../world/history.ts';
import { buildFault } from './fault-spec.ts';
import type { Fault, ProxyControl, ProxyPath } from './faults/fault.ts';
import { MAX_SCHEDULE_MS, parseSchedule, type PlannedFault } from './schedule.ts';

export type { FaultSpec, ResolvedFaultSpec, FaultName } from './fault-spec.ts';
export type { FaultStep, FaultPhase, PlannedFault } from './schedule.ts';
export { stepsFromPhases, parseSchedule } from './schedule.ts';
export type { ProxyControl, ProxyPath } from './faults/fault.ts';

export interface NemesisOptions {
  /** The schedule as the scenario wrote it (FaultStep[]); validated when the nemesis is made. */
  steps: unknown;
  /** A control for each proxy the schedule names. */
  proxies: Partial<Record<ProxyPath, ProxyControl>>;
  recorder: Recorder;
  /** When the nemesis ends, ms from the start of the run; whatever is still applied then is healed. */
  deadline: number;
  /** Aborting stops the schedule and heals every fault; the orchestrator wires Ctrl-C to it. */
  signal?: AbortSignal;
  /** Prefixes fault ids (and so toxic names) when several nemeses share a history or a proxy. */
  idPrefix?: string;
  /** The wait before a failed heal is first asked again; it doubles on each try. Default 1 s. */
  healRetryMs?: number;
}

/** What a nemesis run did; `unhealed` lists faults whose heal failed even on the last try. */
export interface NemesisSummary {
  applied: number;
  healed: number;
  failures: number;
  unhealed: string[];
}

/** A fault that may be in force: its apply has been called, and it has not been healed yet. */
interface LiveFault {
  fault: Fault;
  proxy: ProxyControl;
  /** Toxiproxy confirmed the apply; a fault whose apply failed is still healed (it may be half applied), silently. */
  applied: boolean;
  /** Settles (never rejects) when the apply call is over, whatever its outcome. */
  applying: Promise<void>;
  healing?: Promise<void>;
}

const ID_PREFIX = /^[A-Za-z0-9._-]{0,32}$/;
/** Heal calls per heal() before the fault is left live, the retries 1, 2, 4 s apart: with 5 s calls, about 30 s at worst. */
const HEAL_TRIES = 4;
const HEAL_RETRY_MS = 1_000;

export class Nemesis {
  private readonly plan: PlannedFault[];
  private readonly stopped = new AbortController();
  private readonly live = new Map<string, LiveFault>();
  private readonly summary: NemesisSummary = { applied: 0, healed: 0, failures: 0, unhealed: [] };
  private running = false;

  /** Throws a UsageError when the schedule is malformed or names a proxy this run does not have. */
  constructor(private readonly options: NemesisOptions) {
    if (!(options.deadline >= 0 && options.deadline <= MAX_SCHEDULE_MS)) throw new UsageError(`nemesis deadline ${options.deadline} ms is not between 0 and 7 days`);
    const prefix = options.idPrefix ?? '';
    if (!ID_PREFIX.test(prefix)) throw new UsageError(`nemesis id prefix ${JSON.stringify(prefix)} may only use letters, digits, ".", "_" and "-"`);
    this.plan = parseSchedule(options.steps);
    // Every step waits on this one signal at once; Node's default of 10 listeners would warn on any real schedule.
    setMaxListeners(this.plan.length + 10, this.stopped.signal);
    const missing = this.plan.filter((step) => options.proxies[step.spec.path] === undefined);
    if (missing.length > 0) {
      const names = missing.map((step) => `${step.label} needs the ${step.spec.path} proxy`).join('; ');
      throw new UsageError(`bad fault schedule: ${names}, which this run does not have`, 'remove those faults or give the run that proxy');
    }
  }

  /**
   * Runs the schedule, `at` times counted from `startedAt` (ms since the epoch, the run's start). Resolves once
   * the schedule is over or stopped and every applied fault is healed (or failed its last heal). Toxiproxy
   * failures never reject it (they are `error` records); only calling it twice does.
   */
  async run(startedAt: number = Date.now()): Promise<NemesisSummary> {
    if (this.running) throw new Error('a nemesis runs its schedule once');
    this.running = true;
    const stop = () => void this.healAll();
    this.options.signal?.addEventListener('abort', stop, { once: true });
    if (this.options.signal?.aborted) stop();
    const deadline = setTimeout(() => this.stopped.abort(), Math.max(0, startedAt + this.options.deadline - Date.now()));
    try {
      await Promise.all(this.plan.map((step) => this.runStep(step, startedAt)));
    } finally {
      clearTimeout(deadline);
      this.options.signal?.removeEventListener('abort', stop);
    }
    await this.healAll();
    return { ...this.summary, unhealed: [...this.live.keys()] };
  }

  /**
   * Stops the schedule (no fault starts after this) and heals every fault that may be in force, waiting for
   * applies still in flight. Safe from a signal handler: idempotent, concurrent calls share the work, never rejects.
   */
  async healAll(): Promise<void> {
    this.stopped.abort();
    await Promise.all([...this.live.keys()].map((id) => this.heal(id)));
  }

  private async runStep(step: PlannedFault, startedAt: number): Promise<void> {
    if (!(await this.sleepUntil(startedAt + step.at)) || this.stopped.signal.aborted) return;
    const fault = buildFault(step.spec, faultId(step, this.options.idPrefix));
    const proxy = this.options.proxies[fault.path] as ProxyControl;
    // The fault may take effect before Toxiproxy answers, so its window opens when the call is made; but it is
    // recorded as applied only once Toxiproxy confirmed it, so a fault that never took is never drawn or counted.
    const calledAt = Date.now();
    const live: LiveFault = { fault, proxy, applied: false, applying: Promise.resolve() };
    live.applying = fault.apply(proxy).then(
      () => {
        live.applied = true;
        this.record('start', fault, calledAt);
        this.summary.applied++;
      },
      (error: unknown) => this.fail('apply', fault, proxy, error),
    );
    this.live.set(fault.id, live);
    const applying = live.applying;
    await applying;
    if (step.until !== undefined) await this.sleepUntil(startedAt + step.until);
    else await this.sleepUntil(Infinity);
    await this.heal(fault.id);
  }

  /**
   * Heals one fault once its apply is over. A heal call that fails is asked again a few times (heals repeat
   * safely): an overloaded Toxiproxy often applied the heal and only missed the deadline of its answer, and the
   * heal is recorded once Toxiproxy confirms it, with when it was first called, so what followed it can still be
   * measured from the heal. A heal that fails every try leaves the fault live for the next heal().
   */
  private heal(id: string): Promise<void> {
    const live = this.live.get(id);
    if (live === undefined) return Promise.resolve();
    live.healing ??= (async () => {
      await live.applying;
      const calledAt = Date.now();
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            await live.fault.heal(live.proxy);
            break;
          } catch (error) {
            if (attempt === HEAL_TRIES) return this.fail('heal', live.fault, live.proxy, error, live.applied);
            this.error('heal', live.fault, live.proxy, error, `; asking again (try ${attempt + 1} of ${HEAL_TRIES})`);
            await sleep((this.options.healRetryMs ?? HEAL_RETRY_MS) * 2 ** (attempt - 1));
          }
        }
        // Recorded after the call: until Toxiproxy confirms, the fault may still be in force.
        if (live.applied) {
          this.record('heal', live.fault, Date.now(), calledAt);
          this.summary.healed++;
        }
        this.live.delete(id);
      } finally {
        live.healing = undefined;
      }
    })();
    return live.healing;
  }

  /** Waits until the epoch time `until`; false when the nemesis was stopped first. */
  private async sleepUntil(until: number): Promise<boolean> {
    if (this.stopped.signal.aborted) return false;
    const signal = this.stopped.signal;
    try {
      if (until === Infinity) await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      else await sleep(Math.max(0, until - Date.now()), undefined, { signal });
      return true;
    } catch {
      return false;
    }
  }

  private record(action: 'start' | 'heal', fault: Fault, t = Date.now(), calledAt?: number): void {
    this.options.recorder.record({
      type: 'fault', t, action, id: fault.id, fault: fault.name, path: fault.path, detail: fault.detail, ...(calledAt !== undefined ? { calledAt } : {}),
    });
  }

  /** A failed Toxiproxy call, as an error record. */
  private error(call: 'apply' | 'heal', fault: Fault, proxy: ProxyControl, error: unknown, then = ''): string {
    this.summary.failures++;
    const message = error instanceof Error ? error.message : String(error);
    this.options.recorder.record({ type: 'error', t: Date.now(), source: 'nemesis', message: `${call} ${describe(fault, proxy)}: ${message}${then}` });
    return message;
  }

  /**
   * A failed call is an error record and, for an apply or for the heal of an applied fault, a fault record saying
   * so: the run then knows the fault never took, or may still be in force, instead of finding a heal missing.
   */
  private fail(call: 'apply' | 'heal', fault: Fault, proxy: ProxyControl, error: unknown, applied = true): void {
    const message = this.error(call, fault, proxy, error);
    if (call === 'heal' && !applied) return;
    const action = call === 'apply' ? 'apply-failed' : 'heal-failed';
    this.options.recorder.record({ type: 'fault', t: Date.now(), action, id: fault.id, fault: fault.name, path: fault.path, message });
  }
}

/** The id the nemesis gives a planned fault: it names the fault's toxics and pairs its records in the history. */
export function faultId(step: Pick<PlannedFault, 'index' | 'spec'>, prefix = ''): string {
  return `${prefix}f${step.index + 1}-${step.spec.fault}`;
}

function describe(fault: Fault, proxy: ProxyControl): string {
  return `${fault.name} ${fault.id} on the ${fault.path} proxy (${proxy.proxy})`;
}
