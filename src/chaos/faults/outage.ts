/**
 * Outage: the proxy is disabled, so every camera and user connection through it drops and new ones are refused.
 * Heal enables it again, and every camera reconnects at once: that reconnect wave is the storm.
 * Not a toxic in Toxiproxy (its `down` is the proxy's `enabled` flag), so it has no toxicity or direction.
 */
import { z } from 'zod';
import type { Fault } from './fault.ts';
import { pathField } from './toxic-fault.ts';

export const outageSpec = z.strictObject({
  fault: z.literal('outage'),
  path: pathField,
});

export type OutageSpec = z.infer<typeof outageSpec>;

export function outageFault(spec: OutageSpec, id: string): Fault {
  return {
    name: spec.fault,
    path: spec.path,
    id,
    detail: {},
    apply: (proxy) => proxy.setEnabled(false),
    heal: (proxy) => proxy.setEnabled(true),
  };
}
