/**
 * Slicer: data is cut into small packets of about `averageSize` bytes (plus or minus `sizeVariation`), each
 * delayed by `delayUs` microseconds. Nothing is lost; it exercises parsers that assume whole frames per read.
 */
import { z } from 'zod';
import type { Fault } from './fault.ts';
import { pathField, streamField, toxicFault, toxicityField } from './toxic-fault.ts';

export const slicerSpec = z
  .strictObject({
    fault: z.literal('slicer'),
    path: pathField,
    averageSize: z.number().int().min(1).max(1_048_576).default(64),
    sizeVariation: z.number().int().min(0).max(1_048_576).default(32),
    delayUs: z.number().int().min(0).max(10_000_000).default(1_000),
    stream: streamField('downstream'),
    toxicity: toxicityField,
  })
  // Toxiproxy draws sizes in average +/- variation; a variation reaching the average would allow empty slices.
  .refine((spec) => spec.sizeVariation < spec.averageSize, { message: 'must be smaller than averageSize', path: ['sizeVariation'], when: (payload) => payload.issues.length === 0 });

export type SlicerSpec = z.infer<typeof slicerSpec>;

export function slicerFault(spec: SlicerSpec, id: string): Fault {
  return toxicFault(spec, id, 'slicer', { average_size: spec.averageSize, size_variation: spec.sizeVariation, delay: spec.delayUs });
}
