/** Slow close: when a connection ends, the close is held back `delayMs`, so half-dead sockets linger. */
import { z } from 'zod';
import type { Fault } from './fault.ts';
import { pathField, streamField, toxicFault, toxicityField } from './toxic-fault.ts';

export const slowCloseSpec = z.strictObject({
  fault: z.literal('slow-close'),
  path: pathField,
  delayMs: z.number().int().min(0).max(600_000).default(1_000),
  stream: streamField('downstream'),
  toxicity: toxicityField,
});

export type SlowCloseSpec = z.infer<typeof slowCloseSpec>;

export function slowCloseFault(spec: SlowCloseSpec, id: string): Fault {
  return toxicFault(spec, id, 'slow_close', { delay: spec.delayMs });
}
