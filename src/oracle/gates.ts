/**
 * Gates: pass/fail thresholds on a run's figures, written as a figure's name and a condition
 * (`leaks: 0`, `lost: '<0.1%'`, `reconnect.p95: '<20s'`, `delivery.p99: '<2s'`). A scenario carries its own;
 * `--gate` adds or overrides one. Pure: parsing is checked before a run starts, evaluation reads plain figures.
 * A leak fails a run whatever the gates say; gates only add reasons to fail.
 */
import type { Verdict } from './verdict.ts';

/** A gate that cannot be understood; the CLI turns it into a usage error (exit 2) before anything runs. */
export class GateError extends Error {
  constructor(
    message: string,
    /** How to write it instead. */
    readonly hint: string,
  ) {
    super(message);
    this.name = 'GateError';
  }
}

/** Gates as a scenario or a journal writes them: metric name to condition. */
export type GateSpec = Readonly<Record<string, string | number>>;

export type GateOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** What a threshold is measured in: a count, milliseconds, or a percentage of the metric's base. */
export type GateUnit = 'count' | 'ms' | '%';

/** One parsed gate: `actual <operator> threshold`, with the threshold in `unit`. */
export interface Gate {
  /** The metric, e.g. `reconnect.p95`. */
  name: string;
  /** As the user wrote it, normalised to carry its operator, e.g. `< 20s`. */
  expression: string;
  operator: GateOperator;
  threshold: number;
  unit: GateUnit;
}

/** A gate judged against a run, as summary.json carries it. */
export interface GateResult {
  name: string;
  expression: string;
  /** The metric's value in the gate's unit (ms, %, or a count). */
  actual: number;
  unit: GateUnit;
  ok: boolean;
}

/** The run figures gates read; `Summary` has this shape. */
export interface GateFigures {
  leaks: Pick<Verdict['leaks'], 'total'>;
  events: Verdict['events'];
  duplicates: number;
  unknown: number;
  mismatches: number;
  roleErrors: number;
  probes: Verdict['probes'];
  latency: Verdict['latency'];
  reconnect: { p50: number; p95: number; max: number; missing: number };
  errors: number;
}

interface Metric {
  kind: 'count' | 'time';
  value(figures: GateFigures): number;
  /** For counts that may be gated as a share: what 100% is. */
  of?: { label: string; value(figures: GateFigures): number };
}

const METRICS: Readonly<Record<string, Metric>> = {
  leaks: { kind: 'count', value: (f) => f.leaks.total },
  lost: { kind: 'count', value: (f) => f.events.lost, of: { label: 'acknowledged events', value: (f) => f.events.acked } },
  duplicates: { kind: 'count', value: (f) => f.duplicates },
  unknown: { kind: 'count', value: (f) => f.unknown },
  mismatches: { kind: 'count', value: (f) => f.mismatches },
  roleErrors: { kind: 'count', value: (f) => f.roleErrors },
  'probes.notRefused': { kind: 'count', value: (f) => f.probes.notRefused, of: { label: 'probes sent', value: (f) => f.probes.sent } },
  'delivery.p50': { kind: 'time', value: (f) => f.latency.p50 },
  'delivery.p95': { kind: 'time', value: (f) => f.latency.p95 },
  'delivery.p99': { kind: 'time', value: (f) => f.latency.p99 },
  'delivery.max': { kind: 'time', value: (f) => f.latency.max },
  'reconnect.p50': { kind: 'time', value: (f) => f.reconnect.p50 },
  'reconnect.p95': { kind: 'time', value: (f) => f.reconnect.p95 },
  'reconnect.max': { kind: 'time', value: (f) => f.reconnect.max },
  'reconnect.missing': { kind: 'count', value: (f) => f.reconnect.missing },
  errors: { kind: 'count', value: (f) => f.errors },
};

/** Every metric a gate may name, for help texts and error messages. */
export const GATE_METRICS: readonly string[] = Object.keys(METRICS);

const MS_PER: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };
const CONDITION = /^(<=|>=|==|!=|<|>|=)?\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|%)?$/;

/** Parses one gate; a malformed one is a GateError naming it. */
export function parseGate(name: string, condition: string | number): Gate {
  const metric = METRICS[name];
  if (!metric) throw new GateError(`unknown gate metric ${name}`, `gates can name ${GATE_METRICS.join(', ')}`);
  const text = typeof condition === 'number' ? String(condition) : condition.trim();
  const match = CONDITION.exec(text);
  const bad = (why: string) =>
    new GateError(`gate ${name}: ${JSON.stringify(condition)} ${why}`, "write a comparison and a number with its unit: '<0.1%', '<=20s', '>0', 0");
  if (!match || (typeof condition === 'number' && !Number.isFinite(condition))) throw bad('is not a condition');
  const operator = (match[1] === undefined || match[1] === '=' ? '==' : match[1]) as GateOperator;
  const number = Number(match[2]);
  const suffix = match[3];
  let unit: GateUnit;
  let threshold = number;
  if (suffix === '%') {
    if (!metric.of) throw bad(`uses %, but ${name} is not a share of anything`);
    unit = '%';
  } else if (metric.kind === 'time') {
    unit = 'ms';
    threshold = number * MS_PER[suffix ?? 'ms']!;
  } else {
    if (suffix !== undefined) throw bad(`gives a time, but ${name} is a count`);
    unit = 'count';
  }
  return { name, expression: `${operator} ${match[2]}${suffix ?? ''}`, operator, threshold, unit };
}

/** Parses every gate of a spec, in order. */
export function parseGates(spec: GateSpec): Gate[] {
  return Object.entries(spec).map(([name, condition]) => parseGate(name, condition));
}

/** Splits a `--gate` flag, `reconnect.p95<10s` or `lost: <0.1%`, into its metric and condition. */
export function parseGateFlag(flag: string): [string, string] {
  const match = /^\s*([A-Za-z][A-Za-z0-9.]*)\s*(?::\s*(.*\S)|((?:<=|>=|==|!=|<|>|=).*\S))\s*$/.exec(flag);
  if (!match) throw new GateError(`--gate ${JSON.stringify(flag)} is not a gate`, "write it as 'reconnect.p95<10s' or 'lost: <0.1%'");
  return [match[1]!, (match[2] ?? match[3])!];
}

/** The scenario's gates with `--gate` flags laid over them (a flag naming an existing metric replaces it), all parsed. */
export function resolveGates(scenario: GateSpec, flags: readonly string[] = []): Gate[] {
  const merged: Record<string, string | number> = { ...scenario };
  for (const flag of flags) {
    const [name, condition] = parseGateFlag(flag);
    merged[name] = condition;
  }
  return parseGates(merged);
}

/** The gates as a spec again (for the journal header), so `stampede report` judges by the same gates. */
export function gateSpecOf(gates: readonly Gate[]): Record<string, string> {
  return Object.fromEntries(gates.map((gate) => [gate.name, gate.expression]));
}

/** Judges each gate against the run's figures. */
export function evaluateGates(gates: readonly Gate[], figures: GateFigures): GateResult[] {
  return gates.map((gate) => {
    const metric = METRICS[gate.name]!;
    const raw = metric.value(figures);
    const base = gate.unit === '%' ? metric.of!.value(figures) : 0;
    // A share of nothing is nothing: no acknowledged events means none could be lost.
    const actual = gate.unit === '%' ? (base > 0 ? (raw / base) * 100 : 0) : raw;
    return { name: gate.name, expression: gate.expression, actual, unit: gate.unit, ok: holds(actual, gate.operator, gate.threshold) };
  });
}

function holds(actual: number, operator: GateOperator, threshold: number): boolean {
  switch (operator) {
    case '<':
      return actual < threshold;
    case '<=':
      return actual <= threshold;
    case '>':
      return actual > threshold;
    case '>=':
      return actual >= threshold;
    case '==':
      return actual === threshold;
    case '!=':
      return actual !== threshold;
  }
}

/** A gate's actual value as people read it: `1,234 ms`, `0.05%`, `3`. */
export function formatActual(result: Pick<GateResult, 'actual' | 'unit'>): string {
  if (result.unit === '%') return `${Number(result.actual.toPrecision(3))}%`;
  const rounded = Math.round(result.actual * 100) / 100;
  return result.unit === 'ms' ? `${rounded.toLocaleString('en-US')} ms` : rounded.toLocaleString('en-US');
}
