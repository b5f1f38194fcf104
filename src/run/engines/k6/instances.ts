/**
 * Starting and ending the k6 processes of one run: one per execution segment, each with the same script, plan
 * and collector, told apart by STAMPEDE_INSTANCE. Every process is a managed child (src/services/child.ts), so none
 * outlives Stampede, and each one's exit and self-reported tally are read back once it ends.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type ChildExit, type ManagedChild } from '../../../services/child.ts';
import { segments } from './segments.ts';
import { readTally, type InstanceTally } from './summary.ts';

/** The k6 script, next to the rest of Stampede's scenarios. */
export const K6_SCRIPT = fileURLToPath(new URL('../../../../scenarios/k6/storm.ts', import.meta.url));

export interface InstancesOptions {
  k6: string;
  instances: number;
  /** Where plan.json is and each instance's summary goes. */
  dir: string;
  planPath: string;
  /** STAMPEDE_* settings every instance gets (collector, token, run key, start, target). */
  env: Record<string, string>;
}

export interface K6Instance {
  index: number;
  segment: string;
  child: ManagedChild;
  summaryPath: string;
}

export interface InstanceEnd {
  index: number;
  segment: string;
  exit: ChildExit;
  tally: InstanceTally | undefined;
  output: string;
}

/** k6 exits with this when a threshold failed (here: the VUs counted plain leaks). */
export const THRESHOLDS_FAILED = 99;

export async function startInstances(options: InstancesOptions): Promise<K6Instance[]> {
  const started: K6Instance[] = [];
  try {
    for (const [index, { segment, sequence }] of segments(options.instances).entries()) {
      const summaryPath = join(options.dir, `summary-${index}.json`);
      const child = await startChild({
        name: `k6 instance ${index + 1}/${options.instances}`,
        command: options.k6,
        args: [
          'run', '--no-usage-report', '--no-color', '--log-format', 'raw', '--summary-export', summaryPath,
          '--execution-segment', segment, '--execution-segment-sequence', sequence, K6_SCRIPT,
        ],
        env: { ...process.env, ...options.env, STAMPEDE_PLAN: options.planPath, STAMPEDE_INSTANCE: String(index) },
        // k6 needs no readiness probe: the VUs find the collector already listening and the target already seeded.
        ready: async () => true,
        graceMs: 5000,
      });
      started.push({ index, segment, child, summaryPath });
    }
  } catch (error) {
    await Promise.all(started.map((instance) => instance.child.stop()));
    throw error;
  }
  return started;
}

/** Waits until each instance has exited by itself or `deadline` passes, then stops what is left; reads the tallies. */
export async function endInstances(instances: K6Instance[], deadline: number): Promise<InstanceEnd[]> {
  return Promise.all(instances.map(async ({ index, segment, child, summaryPath }) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
    await Promise.race([child.exited, late]);
    clearTimeout(timer);
    const exit = await child.stop();
    return { index, segment, exit, tally: await readTally(summaryPath), output: child.recentOutput() };
  }));
}
