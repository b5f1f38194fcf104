/**
 * What the honest-verdict e2e files share: a small storm through the real CLI, handed to the test while it runs,
 * and the checks every run that did not test what it set out to must pass (exit 3, error verdict, why in the
 * console's first line, no stack trace).
 */
import type { ChildProcess } from 'node:child_process';
import { expect, type TestContext } from 'vitest';
import { readSummary, stampede, type CliResult } from './cli.ts';
import { spawnCloudCli, type CloudProcess } from './cloud.ts';
import { startMisbehavingFront, type RunningFront } from './misbehaving-front.ts';

/** One worker process: what breaks here is the target or Toxiproxy, whoever drives the fleet. */
export const FLEET = ['--cameras', '30', '--users', '15', '--duration', '16', '--seed', '3', '--workers', '1'];

/** Runs the CLI, handing its process to `during` while it goes. */
export async function run(args: string[], during?: (child: ChildProcess, over: Promise<CliResult>) => Promise<void>): Promise<CliResult> {
  let child!: ChildProcess;
  const over = stampede(args, { timeoutMs: 150_000, onSpawn: (spawned) => (child = spawned) });
  if (during) await during(child, over);
  return over;
}

/** The first line of the console summary, which must say why the run is not a pass. */
export function headline(result: CliResult): string {
  return result.stdout.split('\n')[0]!;
}

export function expectError(result: CliResult, out: string): void {
  expect(result.code, `${result.stdout}\n${result.stderr.slice(-2000)}`).toBe(3);
  expect(readSummary(out).verdict).toBe('error');
  expect(headline(result)).toMatch(/^ERROR: /);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?$/m); // no stack trace
}

export const TOKEN = 'admin-token-for-honest-verdicts-7d1e';

export type Finished = TestContext['onTestFinished'];

/** A cloud of the test's own, killed when that test ends (the test's own hook: the global one is ambiguous under concurrency). */
export async function cloud(onTestFinished: Finished): Promise<CloudProcess> {
  const started = await spawnCloudCli(['--admin-token', TOKEN]);
  onTestFinished(async () => {
    started.child.kill('SIGKILL');
    await started.exited;
  });
  return started;
}

export async function front(onTestFinished: Finished, upstream: string, options: Parameters<typeof startMisbehavingFront>[1]): Promise<RunningFront> {
  const started = await startMisbehavingFront(upstream, options);
  onTestFinished(() => started.stop());
  return started;
}
