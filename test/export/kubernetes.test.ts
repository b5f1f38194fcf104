/** The exported manifests: valid Kubernetes objects, an Indexed Job carrying the run's flags and no secret. */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import { scenarios } from '../../scenarios/index.ts';
import { buildJob } from '../../src/export/kubernetes/job.ts';
import { judgeArgs } from '../../src/export/kubernetes/judge.ts';
import { resolveExportPlan, type ExportOptions } from '../../src/export/kubernetes/plan.ts';
import { workerResources } from '../../src/export/kubernetes/resources.ts';
import { buildSecret } from '../../src/export/kubernetes/secret.ts';
import { validateManifest } from '../../src/export/kubernetes/validate.ts';
import { writeKubernetesExport } from '../../src/export/kubernetes/write.ts';

// A seed no other flag or default could spell, so finding it in a file means the seed leaked there.
const SEED = 1_234_567;

function plan(overrides: Partial<ExportOptions> = {}) {
  return resolveExportPlan(
    {
      out: join(mkdtempSync(join(tmpdir(), 'stampede-k8s-')), 'k8s'),
      parallelism: '3',
      seed: String(SEED),
      cameras: '9',
      users: '6',
      duration: '20',
      target: 'http://127.0.0.1:8080',
      collector: 'http://127.0.0.1:7070',
      ...overrides,
    },
    scenarios,
  );
}

function container(job: IJob) {
  return job.spec!.template.spec!.containers[0]!;
}

describe('kubernetes export: the Job', () => {
  it('is an Indexed Job of N pods that validates against the Kubernetes API schema', () => {
    const job = buildJob(plan({ parallelism: '4' }));
    expect(() => validateManifest('job.yaml', job)).not.toThrow();
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', parallelism: 4, completions: 4, backoffLimitPerIndex: 1 });
    expect(job.spec!.template.spec!.restartPolicy).toBe('Never');
    // Stops by itself: the deadline covers the run and no more than a margin beyond it.
    expect(job.spec!.activeDeadlineSeconds).toBeGreaterThan(20);
    expect(job.spec!.activeDeadlineSeconds).toBeLessThan(20 + 600);
  });

  it('runs bin/stampede worker with the run\'s flags, the slice count and the collector in env, secrets only by reference', () => {
    const job = buildJob(plan({ allowRemote: true, target: 'http://stampede-judge:8080', collector: 'http://stampede-judge:7070' }));
    const worker = container(job);
    expect(worker.command).toEqual(['bin/stampede']);
    expect(worker.args).toEqual([
      'worker', 'storm', '--target', 'http://stampede-judge:8080', '--seed', '$(STAMPEDE_SEED)',
      '--cameras', '9', '--users', '6', '--duration', '20', '--allow-remote',
    ]);
    const env = Object.fromEntries(worker.env!.map((variable) => [variable.name, variable]));
    expect(env.STAMPEDE_WORKER_COUNT!.value).toBe('3');
    // The same Node flags as a local worker's.
    expect(env.NODE_OPTIONS!.value).toBe('--max-semi-space-size=64');
    expect(env.STAMPEDE_COLLECTOR!.value).toBe('http://stampede-judge:7070/records');
    expect(env.STAMPEDE_COLLECTOR_TOKEN!.valueFrom).toEqual({ secretKeyRef: { name: 'stampede-run', key: 'collector-token' } });
    expect(env.STAMPEDE_SEED!.valueFrom).toEqual({ secretKeyRef: { name: 'stampede-run', key: 'seed' } });
    // Kubernetes sets the index itself; the Job must not pin it.
    expect(env.JOB_COMPLETION_INDEX).toBeUndefined();
  });

  it('sizes memory from the bench\'s 0.15 MiB per client: fewer clients per pod, less memory', () => {
    const mebibytes = (p: ReturnType<typeof plan>) => Number(workerResources(p).requests.memory.replace(/Mi$/, ''));
    const onePod = plan({ cameras: '3000', users: '1500', parallelism: '1' });
    const threePods = plan({ cameras: '3000', users: '1500', parallelism: '3' });
    expect(mebibytes(onePod)).toBe(256 + Math.ceil(2 * 0.15 * 4500));
    expect(mebibytes(threePods)).toBe(256 + Math.ceil(2 * 0.15 * 1500));
    // The largest slice decides: 10 cameras over 3 pods is 4 on pod 0.
    expect(mebibytes(plan({ cameras: '10', users: '1', parallelism: '3' }))).toBe(256 + Math.ceil(2 * 0.15 * 5));
    const resources = buildJob(threePods).spec!.template.spec!.containers[0]!.resources!;
    expect(resources.limits).toEqual(resources.requests);
  });
});

describe('kubernetes export: validation can fail', () => {
  const tamper = (change: (job: IJob) => void) => {
    const job = structuredClone(buildJob(plan()));
    change(job);
    return () => validateManifest('job.yaml', job);
  };

  it('refuses a Job the API server would refuse', () => {
    expect(tamper((job) => ((job.spec as { completionMode: string }).completionMode = 'Bogus'))).toThrow(/job\.yaml .*completionMode/);
    expect(tamper((job) => delete (container(job) as { name?: string }).name)).toThrow(/containers\/0 must have required property name/);
    expect(tamper((job) => ((job.spec as { parallelism: unknown }).parallelism = 'three'))).toThrow(/parallelism must be integer/);
    expect(tamper((job) => delete (container(job).env![1]!.valueFrom!.secretKeyRef as { key?: string }).key)).toThrow(/secretKeyRef must have required property key/);
  });

  it('refuses a Secret with a value that is not a string', () => {
    const secret = buildSecret('token', { seed: SEED, adapterOptions: {}, worldSecrets: {} });
    expect(() => validateManifest('secret.yaml', secret)).not.toThrow();
    (secret.stringData as Record<string, unknown>).seed = SEED;
    expect(() => validateManifest('secret.yaml', secret)).toThrow(/secret\.yaml .*stringData/);
  });
});

describe('kubernetes export: the files', () => {
  it('writes valid manifests; the token and the seed are in the Secret and the token file only', async () => {
    const exported = plan();
    const result = await writeKubernetesExport(exported);
    const read = (name: string) => readFileSync(join(exported.outDir, name), 'utf8');
    const token = read('collector-token').trim();
    expect(token).toMatch(/^[\w-]{43}$/);
    const secret = parse(read('secret.yaml'));
    validateManifest('secret.yaml', secret);
    expect(secret.stringData).toEqual({ 'collector-token': token, seed: String(SEED) });
    const jobText = read('job.yaml');
    validateManifest('job.yaml', parse(jobText));
    for (const name of ['job.yaml', 'judge.sh', 'Dockerfile']) expect(read(name)).not.toContain(token);
    expect(jobText).not.toContain(String(SEED));
    expect(result.judgeCommand).not.toContain(token);
    expect(statSync(join(exported.outDir, 'collector-token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(exported.outDir, 'secret.yaml')).mode & 0o777).toBe(0o600);
    expect(read('Dockerfile')).toMatch(/^FROM node:20-slim$[\s\S]*npm ci --omit=dev[\s\S]*ENTRYPOINT \["bin\/stampede"\]/m);
  });

  it('writes a fresh token each time', async () => {
    const first = plan();
    await writeKubernetesExport(first);
    const before = readFileSync(join(first.outDir, 'collector-token'), 'utf8');
    await writeKubernetesExport(first);
    expect(readFileSync(join(first.outDir, 'collector-token'), 'utf8')).not.toBe(before);
  });
});

describe('kubernetes export: the judge', () => {
  it('judges N workers started elsewhere, with the pods\' world flags and its own gates and backend', () => {
    expect(judgeArgs(plan({ gate: ['reconnect.p95<5s'], bug: 'wyze-2024' }))).toEqual([
      'run', 'storm', '--workers', '0', '--collector-listen', '127.0.0.1:7070', '--expect-workers', '3', '--proxy-listen', '127.0.0.1:8080',
      '--seed', String(SEED), '--cameras', '9', '--users', '6', '--duration', '20', '--bug', 'wyze-2024', '--gate', 'reconnect.p95<5s',
    ]);
    const remote = judgeArgs(plan({ allowRemote: true, collector: 'http://stampede-judge:7070', judgeTarget: 'http://backend:9000' }));
    expect(remote).toContain('0.0.0.0:7070');
    // The pods storm the judge's client proxy on the interface the collector listens on, at their --target's port.
    expect(remote).toContain('0.0.0.0:8080');
    expect(remote.join(' ')).toMatch(/--target http:\/\/backend:9000 --allow-remote$/);
  });

  it('points the pods at the collector\'s /records unless the address names a path', () => {
    expect(plan({ collector: 'http://127.0.0.1:7070/' }).collectorUrl).toBe('http://127.0.0.1:7070/records');
    expect(plan({ collector: 'http://127.0.0.1:7070/stampede/records' }).collectorUrl).toBe('http://127.0.0.1:7070/stampede/records');
  });

  it('refuses --bug with a real backend, and more pods than clients', () => {
    expect(() => plan({ judgeTarget: 'http://127.0.0.1:9000', bug: 'wyze-2024' })).toThrow('--bug only applies to the embedded cloud');
    expect(() => plan({ parallelism: '10', cameras: '9', users: '6' })).toThrow('more workers than clients');
  });
});
