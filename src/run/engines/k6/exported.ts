/**
 * Reading back what `stampede k6 export` wrote, for the central judge of pods started elsewhere: the collector
 * token the pods' Secret carries, how many pods split the fleet, and the world they storm. The judge must storm
 * the same world on the same clock, so an export made for another seed or size is bad usage, caught before the
 * run starts rather than judged as thousands of unknown items.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkPlan } from '../../../../scenarios/k6/lib/plan.ts';
import { UsageError } from '../../../cli/exit.ts';
import type { World } from '../../../world/types.ts';
import { COLLECTOR_TOKEN_FILE } from './export.ts';

/** An exported run as its central judge needs it. */
export interface ExportedRun {
  token: string;
  /** The TestRun's parallelism: the instances whose tallies the judge waits for. */
  parallelism: number;
}

export async function readExportedRun(dir: string, world: World, durationMs: number): Promise<ExportedRun> {
  const read = async (file: string, why: string): Promise<string> => {
    try {
      return await readFile(join(dir, file), 'utf8');
    } catch {
      throw new UsageError(`${join(dir, file)} is missing: ${why}`, 'give --k6-export the folder `stampede k6 export --collector URL` wrote');
    }
  };
  const token = (await read(COLLECTOR_TOKEN_FILE, 'the export was made without --collector')).trim();
  if (token.length < 16) throw new UsageError(`${join(dir, COLLECTOR_TOKEN_FILE)} holds no usable token`, 'export again with --collector URL');
  const manifest = parseJson(await read('testrun.json', 'not an export folder'), 'testrun.json') as { spec?: { parallelism?: unknown } };
  const parallelism = manifest.spec?.parallelism;
  if (typeof parallelism !== 'number' || !Number.isInteger(parallelism) || parallelism < 1) {
    throw new UsageError(`${join(dir, 'testrun.json')} names no parallelism`, 'export again');
  }
  let plan;
  try {
    plan = checkPlan(parseJson(await read('plan.json', 'not an export folder'), 'plan.json'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${join(dir, 'plan.json')} is not a k6 plan: ${(error as Error).message}`, 'export again');
  }
  const same = plan.world.runId === world.runId && plan.world.cameras.length === world.cameras.length &&
    plan.world.users.length === world.users.length && plan.durationMs === Math.round(durationMs);
  if (!same) {
    throw new UsageError(
      `the export in ${dir} storms another world (seed ${plan.world.seed}, ${plan.world.cameras.length} cameras, ` +
        `${plan.world.users.length} users, ${plan.durationMs / 1000} s)`,
      'run with the --seed, --cameras, --users and --duration the export was made with',
    );
  }
  return { token, parallelism };
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${name} in the export folder is not JSON`, 'export again');
  }
}
