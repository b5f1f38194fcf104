/** What each pod of an exported Job would run, read back from the files the way the kubelet reads them. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { scenarios } from '../../scenarios/index.ts';
import { expand, podsOfJob } from '../../src/export/kubernetes/pods.ts';
import { resolveExportPlan } from '../../src/export/kubernetes/plan.ts';
import { writeKubernetesExport } from '../../src/export/kubernetes/write.ts';

async function exported(parallelism: number) {
  const plan = resolveExportPlan(
    {
      out: join(mkdtempSync(join(tmpdir(), 'stampede-pods-')), 'k8s'),
      parallelism: String(parallelism),
      seed: '424242',
      cameras: '8',
      users: '4',
      duration: '15',
      target: 'http://127.0.0.1:8080',
      collector: 'http://127.0.0.1:7070',
    },
    scenarios,
  );
  await writeKubernetesExport(plan);
  const read = (name: string) => readFileSync(join(plan.outDir, name), 'utf8');
  return { job: read('job.yaml'), secret: read('secret.yaml'), token: read('collector-token').trim() };
}

describe('pods of an exported Job', () => {
  it('gives each index the worker command with the seed expanded from the Secret, and its own JOB_COMPLETION_INDEX', async () => {
    const { job, secret, token } = await exported(3);
    const pods = podsOfJob(job, [secret]);
    expect(pods.map((pod) => pod.index)).toEqual([0, 1, 2]);
    for (const pod of pods) {
      expect(pod.argv).toEqual([
        'bin/stampede', 'worker', 'storm', '--target', 'http://127.0.0.1:8080', '--seed', '424242',
        '--cameras', '8', '--users', '4', '--duration', '15',
      ]);
      expect(pod.workingDir).toBe('/app');
      expect(pod.env).toEqual({
        STAMPEDE_SEED: '424242',
        STAMPEDE_COLLECTOR_TOKEN: token,
        STAMPEDE_COLLECTOR: 'http://127.0.0.1:7070/records',
        STAMPEDE_WORKER_COUNT: '3',
        NODE_OPTIONS: '--max-semi-space-size=64',
        JOB_COMPLETION_INDEX: String(pod.index),
      });
      // The token reaches the worker through its environment only.
      expect(pod.argv.join(' ')).not.toContain(token);
    }
  });

  it('reads base64 data as the API server stores it, and stops on a key the Secret lacks', async () => {
    const { job, secret } = await exported(2);
    const stored = secret.replace(/stringData:[\s\S]*$/, stringify({ data: { 'collector-token': Buffer.from('from-data').toString('base64'), seed: Buffer.from('99').toString('base64') } }));
    const pods = podsOfJob(job, [stored]);
    expect(pods[1]!.env.STAMPEDE_COLLECTOR_TOKEN).toBe('from-data');
    expect(pods[1]!.argv).toContain('99');
    const withoutSeed = secret.replace(/^ {2}seed: .*$/m, '');
    expect(() => podsOfJob(job, [withoutSeed])).toThrow('secret stampede-run has no key seed');
    expect(() => podsOfJob(job, [])).toThrow('has no key');
  });

  it('resolves env in order: a variable sees only those before it', async () => {
    const { job, secret } = await exported(1);
    const manifest = parse(job);
    const env = manifest.spec.template.spec.containers[0].env;
    env.unshift({ name: 'EARLY', value: '$(STAMPEDE_COLLECTOR)/early' });
    env.push({ name: 'LATE', value: '$(STAMPEDE_COLLECTOR)/late' });
    const [pod] = podsOfJob(stringify(manifest), [secret]);
    expect(pod!.env.EARLY).toBe('$(STAMPEDE_COLLECTOR)/early');
    expect(pod!.env.LATE).toBe('http://127.0.0.1:7070/records/late');
  });

  it('refuses a Job that is not Indexed or not a valid Job', async () => {
    const { job, secret } = await exported(2);
    expect(() => podsOfJob(job.replace('completionMode: Indexed', 'completionMode: NonIndexed'), [secret])).toThrow('not Indexed');
    expect(() => podsOfJob(job.replace('completionMode: Indexed', 'completionMode: Bogus'), [secret])).toThrow(/completionMode/);
  });
});

describe('$(VAR) expansion, as Kubernetes does it', () => {
  it('expands defined variables, keeps undefined ones as written, and reads $$ as $', () => {
    const env = { SEED: '7', A: 'x' };
    expect(expand('--seed=$(SEED)', env)).toBe('--seed=7');
    expect(expand('$(MISSING)-$(A)', env)).toBe('$(MISSING)-x');
    expect(expand('$$(SEED) costs $$5', env)).toBe('$(SEED) costs $5');
    expect(expand('$SEED', env)).toBe('$SEED');
  });
});
