/**
 * k6 resolves relative paths only: a project file the VUs import that starts importing an npm package (zod, faker,
 * @noble/hashes) breaks the k6 engine. `k6 inspect` loads the whole import graph without running anything.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { K6_SCRIPT } from '../../src/run/engines/k6/instances.ts';
import { k6Plan, writePlan } from '../../src/run/engines/k6/plan-file.ts';
import { findK6 } from '../../src/services/k6.ts';
import { generateWorld } from '../../src/world/generate.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-k6-loads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scenarios/k6/storm.ts in k6', () => {
  it('loads with its whole import graph, and sizes its scenarios from the plan', async () => {
    const world = generateWorld({ seed: 9, users: 4, cameras: 6, timeline: { durationMs: 30_000, storm: { startMs: 10_000, endMs: 20_000 }, settleMs: 10_000 } });
    const planPath = join(dir, 'plan.json');
    const traffic = { eventRate: 1, reconnect: 'immediate' as const, pollMs: 1000, camerasMs: 5000, tapMs: 2000, probeMs: 3000 };
    await writePlan(planPath, k6Plan({ world, target: 'http://127.0.0.1:9', drainMs: 25_000, durationMs: 30_000, rampMs: 2000, traffic, judged: true }));
    const { stdout } = await promisify(execFile)(findK6()!.path, ['inspect', '-e', `STAMPEDE_PLAN=${planPath}`, K6_SCRIPT], { timeout: 60_000 });
    const options = JSON.parse(stdout) as { scenarios: Record<string, { executor: string; vus?: number; rate?: number }> };
    expect(options.scenarios.cameras).toMatchObject({ executor: 'per-vu-iterations', vus: 6 });
    expect(options.scenarios.users).toMatchObject({ executor: 'per-vu-iterations', vus: 4 });
    expect(options.scenarios.curious).toMatchObject({ executor: 'constant-arrival-rate', rate: 4 });
  }, 90_000);

  it('refuses a missing plan with one clear line', async () => {
    const failed = await promisify(execFile)(findK6()!.path, ['inspect', K6_SCRIPT], { timeout: 60_000 }).then(() => '', (error: { stderr?: string }) => error.stderr ?? '');
    expect(failed).toContain('set STAMPEDE_PLAN');
  }, 90_000);
});
