/**
 * `stampede k6 export`: what a Kubernetes user needs to run the storm's fleet with k6-operator. The k6 archive
 * (script, project code and plan in one file), a TestRun manifest with the parallelism, the world to seed the
 * target with, and the settings that point the VUs at the target and the observation channel. The k6-operator
 * splits the TestRun by execution segment exactly as `--k6-instances` does on one machine.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UnavailableError, UsageError } from '../../../cli/exit.ts';
import { findK6 } from '../../../services/k6.ts';
import { generateWorld } from '../../../world/generate.ts';
import { worldToSeed } from '../../../world/seed.ts';
import { WorldSpecError } from '../../../world/spec.ts';
import type { World } from '../../../world/types.ts';
import type { RunConfig } from '../../config.ts';
import { planScenario } from '../../scenario.ts';
import { K6_SCRIPT } from './instances.ts';
import { k6Plan, writePlan } from './plan-file.ts';

export interface ExportOptions {
  config: RunConfig;
  outDir: string;
  /** The target's base URL as the k6 pods reach it. */
  target: string;
  /** The collector URL as the pods reach it; empty: the pods run standalone, judged by their threshold only. */
  collector: string;
  parallelism: number;
  name: string;
}

/** The files written, by role. */
export interface ExportedFiles {
  archive: string;
  manifest: string;
  plan: string;
  seed: string;
  settings: string;
  /** The collector's bearer token (mode 0600), for the pods' Secret and the central judge; only with a collector. */
  token?: string;
}

/** Where the export keeps the collector's token. */
export const COLLECTOR_TOKEN_FILE = 'collector-token';

/** A ConfigMap holds at most 1 MiB; larger archives go through a volumeClaim instead. */
export const CONFIG_MAP_LIMIT = 1_048_576;

export async function exportK6(options: ExportOptions, log: (line: string) => void): Promise<ExportedFiles> {
  const { config } = options;
  const k6 = findK6();
  if (!k6) throw new UnavailableError('k6 is not installed', 'run `bin/stampede setup` (builds k6 into the cache) or set K6_BIN');
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const phases = planScenario(config.scenario, config.durationMs);
  const window = config.scenario.changeWindow(config.durationMs);
  let world: World;
  try {
    world = generateWorld({
      seed: config.seed, users: config.users, cameras: config.cameras,
      timeline: { durationMs: config.durationMs, storm: window, settleMs: config.durationMs - window.endMs },
    });
  } catch (error) {
    if (error instanceof WorldSpecError) throw new UsageError(error.message, 'change --cameras, --users or --duration');
    throw error;
  }
  const files: ExportedFiles = {
    archive: join(outDir, 'storm.tar'),
    manifest: join(outDir, 'testrun.json'),
    plan: join(outDir, 'plan.json'),
    seed: join(outDir, 'world-seed.json'),
    settings: join(outDir, 'settings.env'),
    ...(options.collector ? { token: join(outDir, COLLECTOR_TOKEN_FILE) } : {}),
  };
  // The same timings `stampede run` gives its engines (storm.ts): ramp over half the first phase, drain at the
  // first phase that does not emit.
  await writePlan(files.plan, k6Plan({
    world, target: options.target, traffic: config.scenario.traffic,
    rampMs: Math.round((phases[0]?.endMs ?? 0) * 0.5),
    drainMs: phases.find((phase) => !phase.emit)?.startMs ?? config.durationMs,
    durationMs: config.durationMs,
    judged: options.collector !== '',
  }));
  await writeFile(files.seed, JSON.stringify(worldToSeed(world)));
  await archive(k6.path, files.plan, files.archive);
  const size = (await stat(files.archive)).size;
  if (size > CONFIG_MAP_LIMIT) log(`note: the archive is ${size} bytes, over a ConfigMap's 1 MiB: serve it from a volumeClaim`);
  await writeFile(files.manifest, `${JSON.stringify(testRun(options), null, 2)}\n`);
  await writeFile(files.settings, settingsFile(options));
  // One token for the pods' Secret and the judge's collector (`stampede run --k6-export DIR` reads it from here).
  if (files.token) await writeFile(files.token, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return files;
}

/** `k6 archive` with the plan's path baked in; the secrets are not, they come from the pods' environment. */
function archive(k6: string, planPath: string, out: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(k6, ['archive', '--quiet', '-e', `STAMPEDE_PLAN=${planPath}`, '-O', out, K6_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new UnavailableError(`could not run k6 archive: ${error.message}`, 'check the k6 binary'));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise();
      else reject(new UnavailableError(`k6 archive failed (exit ${code})`, output.trim().split('\n').at(-1) ?? ''));
    });
  });
}

/** The k6-operator TestRun (JSON is YAML, so `kubectl apply -f testrun.json` takes it as it is). */
export function testRun(options: Pick<ExportOptions, 'name' | 'parallelism' | 'target' | 'collector'>): Record<string, unknown> {
  const secret = (key: string) => ({ valueFrom: { secretKeyRef: { name: options.name, key } } });
  const env = [
    { name: 'STAMPEDE_TARGET', value: options.target },
    { name: 'STAMPEDE_ALLOW_REMOTE', value: '1' },
    { name: 'STAMPEDE_RUN_KEY', ...secret('run-key') },
    ...(options.collector
      ? [{ name: 'STAMPEDE_COLLECTOR', value: options.collector }, { name: 'STAMPEDE_COLLECTOR_TOKEN', ...secret('collector-token') }]
      : []),
  ];
  return {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name: options.name },
    spec: {
      parallelism: options.parallelism,
      script: { configMap: { name: options.name, file: 'storm.tar' } },
      arguments: '--no-usage-report',
      runner: { env },
    },
  };
}

function settingsFile(options: ExportOptions): string {
  return [
    '# What the k6 pods need (testrun.json sets them; the two secrets come from the Secret named in it):',
    `#   kubectl create configmap ${options.name} --from-file=storm.tar`,
    `#   kubectl create secret generic ${options.name} --from-literal=run-key=$(openssl rand -hex 16)` +
      (options.collector ? ` --from-literal=collector-token=$(cat ${COLLECTOR_TOKEN_FILE})` : ''),
    '#   seed the target first: PUT world-seed.json to /v1/admin/world with the admin token',
    `STAMPEDE_TARGET=${options.target}`,
    `STAMPEDE_COLLECTOR=${options.collector}`,
    'STAMPEDE_COLLECTOR_TOKEN=',
    'STAMPEDE_RUN_KEY=',
    'STAMPEDE_ALLOW_REMOTE=1',
    '',
  ].join('\n');
}
