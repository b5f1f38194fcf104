/** Bandwidth: each connection is capped at `rateKBps` kilobytes per second; data arrives intact, only slowly. */
import { z } from 'zod';
import type { Fault } from './fault.ts';
import { pathField, streamField, toxicFault, toxicityField } from './toxic-fault.ts';

export const bandwidthSpec = z.strictObject({
  fault: z.literal('bandwidth'),
  path: pathField,
  // Toxiproxy treats 0 as "no limit", the opposite of what a 0 cap would mean here, so it is refused.
  rateKBps: z.number().int().min(1).max(10_000_000).default(64),
  stream: streamField('downstream'),
  toxicity: toxicityField,
});

export type BandwidthSpec = z.infer<typeof bandwidthSpec>;

export function bandwidthFault(spec: BandwidthSpec, id: string): Fault {
  return toxicFault(spec, id, 'bandwidth', { rate: spec.rateKBps });
}
