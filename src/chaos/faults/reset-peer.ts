/**
 * Reset peer: once data flows, the connection is torn down with a TCP RST after `timeoutMs` (0 = at once),
 * so the peer sees "connection reset" instead of a clean close (Toxiproxy's `reset_peer` toxic).
 */
import { z } from 'zod';
import type { Fault } from './fault.ts';
import { pathField, streamField, toxicFault, toxicityField } from './toxic-fault.ts';

export const resetPeerSpec = z.strictObject({
  fault: z.literal('reset-peer'),
  path: pathField,
  timeoutMs: z.number().int().min(0).max(600_000).default(0),
  stream: streamField('downstream'),
  toxicity: toxicityField,
});

export type ResetPeerSpec = z.infer<typeof resetPeerSpec>;

export function resetPeerFault(spec: ResetPeerSpec, id: string): Fault {
  return toxicFault(spec, id, 'reset_peer', { timeout: spec.timeoutMs });
}
