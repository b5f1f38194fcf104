/** Latency: every chunk of data waits `latencyMs` plus or minus `jitterMs` (Toxiproxy's `latency` toxic). */
import { z } from 'zod';
import type { Fault } from './fault.ts';
import { pathField, streamField, toxicFault, toxicityField } from './toxic-fault.ts';

export const latencySpec = z
  .strictObject({
    fault: z.literal('latency'),
    path: pathField,
    latencyMs: z.number().int().min(0).max(600_000).default(300),
    jitterMs: z.number().int().min(0).max(600_000).default(0),
    stream: streamField('downstream'),
    toxicity: toxicityField,
  })
  // A jitter larger than the latency would ask for negative delays, which Toxiproxy silently clamps.
  .refine((spec) => spec.jitterMs <= spec.latencyMs, { message: 'must not exceed latencyMs', path: ['jitterMs'], when: (payload) => payload.issues.length === 0 });

export type LatencySpec = z.infer<typeof latencySpec>;

export function latencyFault(spec: LatencySpec, id: string): Fault {
  return toxicFault(spec, id, 'latency', { latency: spec.latencyMs, jitter: spec.jitterMs });
}
