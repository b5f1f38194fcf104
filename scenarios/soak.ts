import { sequence, spanOf, type PhaseShare, type Scenario } from '../src/scenario/scenario.ts';
import { everyday } from './traffic.ts';

/** One outage cycle per this much run time; a soak of hours has many. */
const CYCLE_MS = 10 * 60_000;
const MIN_CYCLES = 3;

/**
 * A pre-release soak: hours of everyday load with an outage and its reconnect storm every few minutes, to show
 * that leaks, losses and the harness's own memory stay flat over time.
 */
export const soak: Scenario = {
  name: 'soak',
  summary: 'long everyday load with a periodic outage and reconnect storm',
  defaults: { cameras: 1000, users: 500, durationS: 3600 },
  traffic: everyday,
  // Outages here last long (a share of hours), but most of a soak is steady: hold delivery to p95, not p99.
  gates: { leaks: 0, lost: '<0.1%', 'probes.notRefused': 0, 'reconnect.p95': '<30s', 'delivery.p95': '<5s' },
  phases(durationMs) {
    const cycles = Math.max(MIN_CYCLES, Math.round(durationMs / CYCLE_MS));
    const shares: PhaseShare[] = [{ name: 'warm-up', share: 0.05 }];
    for (let i = 1; i <= cycles; i += 1) {
      const share = 0.9 / cycles;
      shares.push({ name: `steady-${i}`, share: share * 0.8 });
      shares.push({ name: `outage-${i}`, share: share * 0.05, faults: [{ fault: 'outage', path: 'client' }] });
      shares.push({ name: `storm-${i}`, share: share * 0.15 });
    }
    shares.push({ name: 'drain', share: 0.05, emit: false });
    return sequence(durationMs, shares);
  },
  changeWindow(durationMs) {
    return spanOf(this.phases(durationMs), 'steady-1', `storm-${Math.max(MIN_CYCLES, Math.round(durationMs / CYCLE_MS))}`);
  },
};
