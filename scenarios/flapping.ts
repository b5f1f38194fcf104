import { sequence, spanOf, type PhaseShare, type Scenario } from '../src/scenario/scenario.ts';
import { everyday } from './traffic.ts';

const FLAPS = 5;

/** A flaky uplink: short outages one after another, each followed by a reconnect storm before the fleet has settled. */
export const flapping: Scenario = {
  name: 'flapping',
  summary: `${FLAPS} short outages in a row, each followed by a reconnect storm`,
  defaults: { cameras: 500, users: 250, durationS: 90 },
  traffic: everyday,
  gates: { leaks: 0, lost: '<0.1%', 'probes.notRefused': 0, 'reconnect.p95': '<20s', 'delivery.p99': '<10s' },
  phases(durationMs) {
    const flaps: PhaseShare[] = [];
    for (let i = 1; i <= FLAPS; i += 1) {
      flaps.push({ name: `outage-${i}`, share: 0.04, faults: [{ fault: 'outage', path: 'client' }] });
      flaps.push({ name: `storm-${i}`, share: 0.1 });
    }
    return sequence(durationMs, [{ name: 'warm-up', share: 0.15 }, ...flaps, { name: 'drain', share: 0.15, emit: false }]);
  },
  changeWindow(durationMs) {
    return spanOf(this.phases(durationMs), 'outage-1', `storm-${FLAPS}`);
  },
};
