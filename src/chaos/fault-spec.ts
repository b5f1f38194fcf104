/**
 * The faults a scenario may name, as one validated union, and the one place a spec becomes a Fault.
 * Adding a fault = one file under faults/ plus one line in each list below.
 */
import { z } from 'zod';
import type { Fault } from './faults/fault.ts';
import { bandwidthFault, bandwidthSpec } from './faults/bandwidth.ts';
import { latencyFault, latencySpec } from './faults/latency.ts';
import { outageFault, outageSpec } from './faults/outage.ts';
import { resetPeerFault, resetPeerSpec } from './faults/reset-peer.ts';
import { slicerFault, slicerSpec } from './faults/slicer.ts';
import { slowCloseFault, slowCloseSpec } from './faults/slow-close.ts';
import { timeoutFault, timeoutSpec } from './faults/timeout.ts';

export const faultSpecSchema = z.discriminatedUnion('fault', [
  outageSpec,
  latencySpec,
  timeoutSpec,
  resetPeerSpec,
  bandwidthSpec,
  slicerSpec,
  slowCloseSpec,
]);

/** A fault as a scenario writes it: parameters with defaults may be left out, e.g. `{ fault: 'latency', path: 'cache', latencyMs: 300 }`. */
export type FaultSpec = z.input<typeof faultSpecSchema>;

/** A fault as the nemesis runs it: validated, defaults filled in. */
export type ResolvedFaultSpec = z.output<typeof faultSpecSchema>;

export type FaultName = ResolvedFaultSpec['fault'];

export const faultNames: readonly FaultName[] = faultSpecSchema.options.map((option) => option.shape.fault.value);

/** Binds a validated spec to an id; the id names its toxics and pairs its start and heal in the history. */
export function buildFault(spec: ResolvedFaultSpec, id: string): Fault {
  switch (spec.fault) {
    case 'outage':
      return outageFault(spec, id);
    case 'latency':
      return latencyFault(spec, id);
    case 'timeout':
      return timeoutFault(spec, id);
    case 'reset-peer':
      return resetPeerFault(spec, id);
    case 'bandwidth':
      return bandwidthFault(spec, id);
    case 'slicer':
      return slicerFault(spec, id);
    case 'slow-close':
      return slowCloseFault(spec, id);
  }
}
