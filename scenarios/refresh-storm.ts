import { sequence, spanOf, type Scenario } from '../src/scenario/scenario.ts';
import { everyday } from './traffic.ts';

/**
 * The morning after: the network drops, and when it returns every app reopens at once and hammers the event list,
 * the camera list and the thumbnails, while the cameras reconnect and ownership changes land. Users' reads are
 * driven by autocannon, one connection per user with the user's own session, through the adapter's plain-HTTP user
 * calls; every answer is still checked item by item. A cache that keys a page or a thumbnail by the wrong thing
 * serves it to the wrong user soonest under exactly this kind of load.
 */
export const refreshStorm: Scenario = {
  name: 'refresh-storm',
  summary: 'outage, then every app refreshes at once through autocannon, with transfers and revocations',
  defaults: { cameras: 300, users: 200, durationS: 60 },
  traffic: { ...everyday, refresh: { ratePerUser: 2, burstMs: 3_000, probeEvery: 10 } },
  gates: { leaks: 0, lost: '<0.1%', 'probes.notRefused': 0, 'reconnect.p95': '<20s', 'delivery.p99': '<10s' },
  phases: (durationMs) =>
    sequence(durationMs, [
      { name: 'warm-up', share: 0.25 },
      { name: 'outage', share: 0.1, faults: [{ fault: 'outage', path: 'client' }] },
      { name: 'refresh', share: 0.35 },
      { name: 'settle', share: 0.15 },
      { name: 'drain', share: 0.15, emit: false },
    ]),
  changeWindow(durationMs) {
    return spanOf(this.phases(durationMs), 'refresh');
  },
};
