import { sequence, spanOf, type Scenario } from '../src/scenario/scenario.ts';
import { everyday } from './traffic.ts';

/**
 * The ChatGPT afternoon: no outage, steady load, but the cache underneath slows down, times out and resets.
 * Cache clients that mishandle a timed-out or cancelled request show their colours here.
 */
export const cacheBrownout: Scenario = {
  name: 'cache-brownout',
  summary: 'steady load while the cache path gets latency, timeouts and resets',
  defaults: { cameras: 300, users: 200, durationS: 60 },
  traffic: { ...everyday, pollMs: 2_000 },
  gates: { leaks: 0, lost: '<0.1%', 'probes.notRefused': 0, 'delivery.p99': '<10s' },
  phases: (durationMs) =>
    sequence(durationMs, [
      { name: 'warm-up', share: 0.2 },
      { name: 'slow-cache', share: 0.2, faults: [{ fault: 'latency', path: 'cache', latencyMs: 250, jitterMs: 150 }] },
      { name: 'cache-timeouts', share: 0.15, faults: [{ fault: 'timeout', path: 'cache', timeoutMs: 500, toxicity: 0.3 }] },
      { name: 'cache-resets', share: 0.15, faults: [{ fault: 'reset-peer', path: 'cache', timeoutMs: 50, toxicity: 0.3 }] },
      { name: 'settle', share: 0.15 },
      { name: 'drain', share: 0.15, emit: false },
    ]),
  changeWindow(durationMs) {
    return spanOf(this.phases(durationMs), 'slow-cache', 'cache-timeouts', 'cache-resets');
  },
};
