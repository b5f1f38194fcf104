/** The plan file the k6 script reads: the world and the run's timings, as scenarios/k6/lib/plan.ts defines it. */
import { writeFile } from 'node:fs/promises';
import type { K6Plan } from '../../../../scenarios/k6/lib/plan.ts';

/** Thumbnail sizes the Node cameras use by default (simulators/protocol/camera-options.ts). */
export const THUMBNAIL_BYTES = { min: 2048, max: 8192 };

export type PlanInput = Omit<K6Plan, 'version' | 'thumbnailBytes'>;

export function k6Plan(input: PlanInput): K6Plan {
  const { world, target, drainMs, durationMs, rampMs, traffic, judged } = input;
  const { eventRate, reconnect, pollMs, camerasMs, tapMs, probeMs } = traffic;
  return {
    version: 1,
    world,
    target,
    drainMs: Math.max(0, Math.round(drainMs)),
    durationMs: Math.max(0, Math.round(durationMs)),
    rampMs: Math.max(0, Math.round(rampMs)),
    traffic: { eventRate, reconnect, pollMs, camerasMs, tapMs, probeMs },
    thumbnailBytes: THUMBNAIL_BYTES,
    judged,
  };
}

export async function writePlan(path: string, plan: K6Plan): Promise<void> {
  await writeFile(path, JSON.stringify(plan), { mode: 0o600 });
}
