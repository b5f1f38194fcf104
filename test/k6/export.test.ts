/**
 * `stampede k6 export` through the real CLI: the manifest is a k6-operator TestRun with the asked parallelism, and
 * the archive runs with plain `k6 run`, standalone (no orchestrator, no collector), against a seeded reference
 * cloud, split in two by execution segment as the operator's pods would be; alone against a leaking cloud, its own
 * threshold fails it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { WorldSeed } from '../../src/protocol/schema.ts';
import { segments } from '../../src/run/engines/k6/segments.ts';
import { findK6 } from '../../src/services/k6.ts';
import { startTestCloud, type TestCloud } from '../helpers/cloud.ts';
import { stampede, type CliResult } from '../helpers/cli.ts';

let dir: string;
let out: string;
let exported: CliResult;
let cloud: TestCloud;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stampede-k6-export-'));
  out = join(dir, 'export');
  cloud = await startTestCloud();
  exported = await stampede(['k6', 'export', '--out', out, '--seed', '3', '--cameras', '6', '--users', '4', '--duration', '12',
    '--parallelism', '2', '--target', cloud.cloud.url, '--collector', 'http://collector.stampede.svc:9000/records'], { timeoutMs: 90_000 });
}, 120_000);

afterAll(async () => {
  await cloud?.cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('stampede k6 export', () => {
  it('writes the archive, the manifest, the plan, the world seed and the settings', () => {
    expect(exported.code, exported.stderr).toBe(0);
    for (const file of ['storm.tar', 'testrun.json', 'plan.json', 'world-seed.json', 'settings.env']) expect(exported.stdout).toContain(join(out, file));
  });

  it('writes a manifest that parses (as YAML too) as a k6-operator TestRun with the parallelism and the VU settings', () => {
    const manifest = parse(readFileSync(join(out, 'testrun.json'), 'utf8')) as {
      apiVersion: string; kind: string; metadata: { name: string };
      spec: { parallelism: number; script: { configMap: { name: string; file: string } }; runner: { env: { name: string; value?: string; valueFrom?: unknown }[] } };
    };
    expect(manifest.apiVersion).toBe('k6.io/v1alpha1');
    expect(manifest.kind).toBe('TestRun');
    expect(manifest.spec.parallelism).toBe(2);
    expect(manifest.spec.script.configMap).toEqual({ name: manifest.metadata.name, file: 'storm.tar' });
    const env = new Map(manifest.spec.runner.env.map((entry) => [entry.name, entry]));
    expect(env.get('STAMPEDE_TARGET')?.value).toBe(cloud.cloud.url);
    expect(env.get('STAMPEDE_COLLECTOR')?.value).toBe('http://collector.stampede.svc:9000/records');
    // Secrets come from a Secret, never from the manifest or the archive.
    expect(env.get('STAMPEDE_COLLECTOR_TOKEN')?.valueFrom).toBeDefined();
    expect(env.get('STAMPEDE_RUN_KEY')?.valueFrom).toBeDefined();
    expect(readFileSync(join(out, 'storm.tar')).toString('latin1')).not.toContain('STAMPEDE_COLLECTOR_TOKEN=');
  });

  it('freezes into the archive whether its pods are judged: judged pods never abort at a plain leak, standalone ones do', async () => {
    // k6 writes a threshold that never aborts as its bare expression, one that does as an object.
    const abortsOnLeak = async (archive: string) => {
      const { stdout } = await promisify(execFile)('tar', ['-xOf', archive, 'metadata.json'], { maxBuffer: 64 * 1024 * 1024 });
      const { thresholds } = (JSON.parse(stdout) as { options: { thresholds: Record<string, (string | { abortOnFail?: boolean })[]> } }).options;
      const plain = thresholds.stampede_plain_leaks;
      expect(plain, 'the archive keeps the plain-leak threshold').toHaveLength(1);
      return plain!.some((entry) => typeof entry === 'object' && entry.abortOnFail === true);
    };
    expect(await abortsOnLeak(join(out, 'storm.tar'))).toBe(false);
    const alone = join(dir, 'alone');
    const standalone = await stampede(['k6', 'export', '--out', alone, '--seed', '3', '--cameras', '10', '--users', '30', '--duration', '40',
      '--target', cloud.cloud.url], { timeoutMs: 90_000 });
    expect(standalone.code, standalone.stderr).toBe(0);
    expect(await abortsOnLeak(join(alone, 'storm.tar'))).toBe(true);

    // Alone, k6 is the gate: against github-2021 (30 users polling at once read each other's pages) the VUs count a
    // plain leak from the seeded world and k6 stops the run early with its threshold's exit code.
    const leaky = await startTestCloud({ bug: 'github-2021' });
    try {
      await leaky.api.seed(JSON.parse(readFileSync(join(alone, 'world-seed.json'), 'utf8')) as WorldSeed);
      const summary = join(dir, 'alone-summary.json');
      const result = await promisify(execFile)(findK6()!.path, ['run', '--no-usage-report', '--quiet', '--summary-export', summary, join(alone, 'storm.tar')],
        { timeout: 90_000, env: { ...process.env, STAMPEDE_TARGET: leaky.cloud.url } })
        .then(() => ({ code: 0, stderr: '' }), (error: { code?: number; stderr?: string }) => ({ code: error.code ?? 1, stderr: error.stderr ?? '' }));
      expect(result.code, result.stderr.slice(-2000)).toBe(99);
      // k6's own word that it stopped early rather than at the end (a wall-clock bound would fail on a busy machine).
      expect(result.stderr).toMatch(/thresholds on metrics 'stampede_plain_leaks' were crossed; at least one has abortOnFail enabled, stopping test prematurely/);
      const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { count?: number } | undefined> }).metrics;
      expect(metrics.stampede_plain_leaks?.count ?? 0).toBeGreaterThan(0);
    } finally {
      await leaky.cloud.stop();
    }
  }, 180_000);

  it('runs with k6 run, standalone and split in two, against the seeded target: every camera connects, no plain leak', async () => {
    const k6 = findK6();
    expect(k6, 'k6 is provisioned by the global setup').toBeDefined();
    const seed = JSON.parse(readFileSync(join(out, 'world-seed.json'), 'utf8')) as WorldSeed;
    await cloud.api.seed(seed);
    const run = promisify(execFile);
    const halves = await Promise.all(segments(2).map(async ({ segment, sequence }, index) => {
      const summary = join(dir, `summary-${index}.json`);
      const result = await run(k6!.path, ['run', '--no-usage-report', '--quiet', '--summary-export', summary,
        '--execution-segment', segment, '--execution-segment-sequence', sequence, join(out, 'storm.tar')], { timeout: 90_000 })
        .then(() => ({ code: 0, stderr: '' }))
        .catch((error: { code?: number; stderr?: string }) => ({ code: error.code ?? 1, stderr: error.stderr ?? '' }));
      const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { count?: number } | undefined> }).metrics;
      return { ...result, metrics };
    }));
    for (const half of halves) {
      expect(half.code, half.stderr.slice(-2000)).toBe(0);
      expect(half.metrics.stampede_plain_leaks?.count ?? 0).toBe(0);
    }
    // Cameras and users together: one device or stream session each at least, split between the two halves.
    const sessions = halves.map((half) => half.metrics.ws_sessions?.count ?? 0);
    expect(sessions.every((count) => count > 0)).toBe(true);
    expect(sessions.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(seed.cameras.length + seed.users.length);
  }, 150_000);
});
