/**
 * Timeout: connections stall; data is dropped and each connection is closed after `timeoutMs`, or held open
 * and silent until heal when `timeoutMs` is 0 (Toxiproxy's `timeout` toxic). Both directions by default, so
 * the stall looks like a black hole rather than a one-way loss.
 */
import { z } from 'zod';
import type { Fault } from './fault.ts';
import { pathField, streamField, toxicFault, toxicityField } from './toxic-fault.ts';

export const timeoutSpec = z.strictObject({
  fault: z.literal('timeout'),
  path: pathField,
  timeoutMs: z.number().int().min(0).max(600_000).default(5_000),
  stream: streamField('both'),
  toxicity: toxicityField,
});

export type TimeoutSpec = z.infer<typeof timeoutSpec>;

export function timeoutFault(spec: TimeoutSpec, id: string): Fault {
  return toxicFault(spec, id, 'timeout', { timeout: spec.timeoutMs });
}
