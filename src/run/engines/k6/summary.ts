/** What a k6 instance says about itself at the end (`--summary-export`): the records it made and its plain leaks. */
import { readFile } from 'node:fs/promises';

export interface InstanceTally {
  /** Records the instance's VUs handed to their shipping recorders (and so should have reached the collector). */
  records: number;
  /** Batches given up after retries. */
  batchesFailed: number;
  /** Plain leaks the VUs counted themselves. */
  plainLeaks: number;
}

/** The tally, or undefined when the instance wrote no summary (killed, crashed before the end). */
export async function readTally(path: string): Promise<InstanceTally | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const metrics = (JSON.parse(text) as { metrics?: Record<string, { count?: number } | undefined> }).metrics ?? {};
  const count = (name: string): number => metrics[name]?.count ?? 0;
  return { records: count('stampede_records'), batchesFailed: count('stampede_batches_failed'), plainLeaks: count('stampede_plain_leaks') };
}
