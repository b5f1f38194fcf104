import { sequence, spanOf, type Scenario } from '../src/scenario/scenario.ts';
import { everyday } from './traffic.ts';

/**
 * The Wyze morning: the fleet is up, an outage drops every device, and when the network comes back they all
 * reconnect at once while users reopen their apps. Ownership changes land during the storm, where caches are
 * most confused; a slow cache during the recovery is part of the picture, since it is what a stampede does to it.
 */
export const storm: Scenario = {
  name: 'storm',
  summary: 'warm-up, outage, simultaneous reconnect with transfers and revocations, settle and drain',
  defaults: { cameras: 500, users: 250, durationS: 60 },
  traffic: everyday,
  // The outage holds deliveries back for its length (a tenth of the run), so delivery gets room; losses do not.
  gates: { leaks: 0, lost: '<0.1%', 'probes.notRefused': 0, 'reconnect.p95': '<20s', 'delivery.p99': '<10s' },
  phases: (durationMs) =>
    sequence(durationMs, [
      { name: 'warm-up', share: 0.25 },
      { name: 'outage', share: 0.1, faults: [{ fault: 'outage', path: 'client' }] },
      { name: 'storm', share: 0.3, faults: [{ fault: 'latency', path: 'cache', latencyMs: 40, jitterMs: 40 }] },
      { name: 'settle', share: 0.2 },
      { name: 'drain', share: 0.15, emit: false },
    ]),
  changeWindow(durationMs) {
    return spanOf(this.phases(durationMs), 'storm');
  },
};
