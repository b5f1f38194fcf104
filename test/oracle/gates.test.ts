import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import {
  evaluateGates,
  formatActual,
  GATE_METRICS,
  GateError,
  gateSpecOf,
  parseGate,
  parseGateFlag,
  resolveGates,
  type GateFigures,
} from '../../src/oracle/gates.ts';
import { resolveRunConfig } from '../../src/run/config.ts';
import { UsageError } from '../../src/errors.ts';

function figures(overrides: Partial<GateFigures> = {}): GateFigures {
  return {
    leaks: { total: 0 },
    events: { emitted: 2000, acked: 2000, delivered: 1999, lost: 1 },
    duplicates: 0,
    unknown: 0,
    mismatches: 0,
    roleErrors: 0,
    probes: { sent: 40, refused: 38, notRefused: 2 },
    latency: { p50: 10, p95: 800, p99: 1900, max: 4000 },
    reconnect: { p50: 100, p95: 12_000, max: 25_000, missing: 0 },
    errors: 3,
    ...overrides,
  };
}

const judge = (name: string, condition: string | number, f: GateFigures = figures()) => evaluateGates([parseGate(name, condition)], f)[0]!;

describe('gate parsing', () => {
  it('reads conditions with units into ms, % or counts', () => {
    expect(parseGate('reconnect.p95', '<20s')).toMatchObject({ operator: '<', threshold: 20_000, unit: 'ms', expression: '< 20s' });
    expect(parseGate('delivery.p99', '<=500ms')).toMatchObject({ operator: '<=', threshold: 500, unit: 'ms' });
    expect(parseGate('delivery.max', '< 1.5m')).toMatchObject({ threshold: 90_000, unit: 'ms' });
    expect(parseGate('delivery.p50', '250')).toMatchObject({ operator: '==', threshold: 250, unit: 'ms' });
    expect(parseGate('lost', '<0.1%')).toMatchObject({ operator: '<', threshold: 0.1, unit: '%' });
    expect(parseGate('leaks', 0)).toMatchObject({ operator: '==', threshold: 0, unit: 'count', expression: '== 0' });
    expect(parseGate('errors', '>=3')).toMatchObject({ operator: '>=', threshold: 3, unit: 'count' });
    expect(parseGate('errors', '=3')).toMatchObject({ operator: '==' });
    expect(parseGate('errors', '!=3')).toMatchObject({ operator: '!=' });
  });

  it('rejects malformed gates with an error naming the gate', () => {
    const cases: [string, string | number, RegExp][] = [
      ['latency.p99', '<2s', /unknown gate metric latency\.p99/],
      ['lost', 'less than 2', /gate lost: "less than 2" is not a condition/],
      ['lost', '<', /gate lost/],
      ['lost', '<-1', /gate lost/],
      ['leaks', '<2s', /gate leaks: .* leaks is a count/],
      ['delivery.p99', '<5%', /gate delivery\.p99: .* not a share/],
      ['errors', Number.NaN, /gate errors/],
      ['reconnect.p95', '<20h', /gate reconnect\.p95/],
    ];
    for (const [name, condition, message] of cases) {
      expect(() => parseGate(name, condition), `${name}: ${condition}`).toThrow(message);
      expect(() => parseGate(name, condition)).toThrow(GateError);
    }
  });

  it('lists every metric when one is unknown', () => {
    try {
      parseGate('nope', 0);
      expect.unreachable();
    } catch (error) {
      expect((error as GateError).hint).toContain(GATE_METRICS.join(', '));
    }
  });

  it('splits --gate flags in both forms', () => {
    expect(parseGateFlag('reconnect.p95<10s')).toEqual(['reconnect.p95', '<10s']);
    expect(parseGateFlag('lost: <0.1%')).toEqual(['lost', '<0.1%']);
    expect(parseGateFlag(' leaks==0 ')).toEqual(['leaks', '==0']);
    expect(() => parseGateFlag('reconnect.p95')).toThrow(/--gate "reconnect.p95" is not a gate/);
    expect(() => parseGateFlag('<10s')).toThrow(GateError);
  });

  it('flags override the scenario gate of the same metric and add new ones', () => {
    const gates = resolveGates({ lost: '<0.1%', 'reconnect.p95': '<20s' }, ['reconnect.p95<10s', 'errors: <5']);
    expect(gateSpecOf(gates)).toEqual({ lost: '< 0.1%', 'reconnect.p95': '< 10s', errors: '< 5' });
    // What a journal stores parses back to the same gates.
    expect(resolveGates(gateSpecOf(gates))).toEqual(gates);
  });

  it('every scenario has gates that parse, leaks among them', () => {
    for (const scenario of scenarios.values()) {
      const gates = resolveGates(scenario.gates ?? {});
      expect(gates.map((gate) => gate.name), scenario.name).toContain('leaks');
    }
  });

  it('a bad --gate on stampede run is a usage error before anything starts', () => {
    expect(() => resolveRunConfig({ gate: ['delivery.p99<2parsecs'] }, scenarios, new Date())).toThrow(UsageError);
    const config = resolveRunConfig({ gate: ['reconnect.p95<10s'] }, scenarios, new Date());
    expect(config.gates.find((gate) => gate.name === 'reconnect.p95')?.threshold).toBe(10_000);
  });
});

describe('gate evaluation', () => {
  it('applies each operator at and around its threshold', () => {
    expect(judge('errors', '<3').ok).toBe(false);
    expect(judge('errors', '<4').ok).toBe(true);
    expect(judge('errors', '<=3').ok).toBe(true);
    expect(judge('errors', '<=2').ok).toBe(false);
    expect(judge('errors', '>3').ok).toBe(false);
    expect(judge('errors', '>2').ok).toBe(true);
    expect(judge('errors', '>=3').ok).toBe(true);
    expect(judge('errors', '>=4').ok).toBe(false);
    expect(judge('errors', 3).ok).toBe(true);
    expect(judge('errors', '==2').ok).toBe(false);
    expect(judge('errors', '!=3').ok).toBe(false);
    expect(judge('errors', '!=2').ok).toBe(true);
  });

  it('compares times in ms whatever unit the gate was written in', () => {
    expect(judge('reconnect.p95', '<12s')).toMatchObject({ actual: 12_000, ok: false });
    expect(judge('reconnect.p95', '<=12s').ok).toBe(true);
    expect(judge('reconnect.max', '<0.5m').ok).toBe(true);
    expect(judge('delivery.p99', '<2s').ok).toBe(true);
    expect(judge('delivery.p99', '<1900ms').ok).toBe(false);
  });

  it('takes % as a share of the metric base, and a count otherwise', () => {
    const lostShare = judge('lost', '<0.1%');
    expect(lostShare.actual).toBeCloseTo(0.05);
    expect(lostShare.ok).toBe(true);
    expect(judge('lost', '<0.01%').ok).toBe(false);
    expect(judge('lost', 0).ok).toBe(false);
    expect(judge('lost', '<2')).toMatchObject({ actual: 1, unit: 'count', ok: true });
    expect(judge('probes.notRefused', '<=5%')).toMatchObject({ actual: 5, ok: true });
    // Nothing acknowledged: nothing could be lost.
    expect(judge('lost', '<0.1%', figures({ events: { emitted: 0, acked: 0, delivered: 0, lost: 0 } })).ok).toBe(true);
  });

  it('formats actual values for people', () => {
    expect(formatActual({ actual: 12_345, unit: 'ms' })).toBe('12,345 ms');
    expect(formatActual({ actual: 0.0512345, unit: '%' })).toBe('0.0512%');
    expect(formatActual({ actual: 3, unit: 'count' })).toBe('3');
  });
});
