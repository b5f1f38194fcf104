/**
 * What one worker pod asks the cluster for, sized from the bench rather than guessed.
 *
 *   clients per pod = ceil(cameras / parallelism) + ceil(users / parallelism)
 *   memory (MiB)    = 256 + ceil(2 × 0.15 × clients per pod)
 *   cpu             = 1
 *
 * 0.15 MiB is the harness's memory per simulated client that bench/storm.bench.ts measures (its KiB/client
 * column: peak RSS above the idle baseline during a full storm, outage and reconnect included), doubled for the
 * garbage collector's slack. 256 MiB is Node itself with tsx and Stampede's modules loaded (about 180 MiB RSS
 * measured), with room. Requests equal limits so the pods are Guaranteed: a worker evicted or OOM-killed mid-run
 * makes the whole run an error, so it is the last pod a busy node should sacrifice. One CPU, because a worker is
 * one Node process with one event loop: more is never used, less stretches the reconnect storm it measures.
 */
import type { ExportPlan } from './plan.ts';

export const BASE_MIB = 256;
export const PER_CLIENT_MIB = 0.15;
export const HEADROOM = 2;

export interface WorkerResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** The largest slice any one pod simulates. */
export function clientsPerPod(plan: Pick<ExportPlan, 'cameras' | 'users' | 'parallelism'>): number {
  return Math.ceil(plan.cameras / plan.parallelism) + Math.ceil(plan.users / plan.parallelism);
}

export function workerResources(plan: Pick<ExportPlan, 'cameras' | 'users' | 'parallelism'>): WorkerResources {
  const memory = `${BASE_MIB + Math.ceil(HEADROOM * PER_CLIENT_MIB * clientsPerPod(plan))}Mi`;
  return { requests: { cpu: '1', memory }, limits: { cpu: '1', memory } };
}
