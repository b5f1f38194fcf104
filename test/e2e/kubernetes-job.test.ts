/**
 * An exported Kubernetes Job tried without a cluster: its judge.sh runs the judge (`run --workers 0`), and each
 * index of job.yaml runs as the pod would, with the argv and environment the Job gives it (secrets resolved from
 * secret.yaml). The verdict must be the one a local run gives on the same seed.
 *
 * The pods storm the address the Job names: the judge's Toxiproxy client proxy, which judge.sh makes listen there
 * (`--proxy-listen`), as a Service in front of the judge would in a cluster.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { podsOfJob } from '../../src/export/kubernetes/pods.ts';
import { freePort } from '../../src/services/ports.ts';
import { readSummary, runDir, runProcess, stampede, type CliResult } from '../helpers/cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORLD = ['--seed', '8', '--cameras', '60', '--users', '30', '--duration', '16'];
const DEADLINE_MS = 240_000;

const runToEnd = (command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; onStderr?: (stderr: string) => void }): Promise<CliResult> =>
  runProcess(command, args, { ...options, timeoutMs: DEADLINE_MS });

describe('an exported Kubernetes Job, run by hand', () => {
  it('its pods, judged by judge.sh, give the verdict of a local run on the same seed', async () => {
    const servicePort = await freePort();
    const collectorPort = await freePort();
    const dir = runDir('k8s');
    const exported = await stampede(['export', 'kubernetes', 'storm', '--out', dir, '--parallelism', '2', ...WORLD, '--bug', 'github-2021',
      '--target', `http://127.0.0.1:${servicePort}`, '--collector', `http://127.0.0.1:${collectorPort}`]);
    expect(exported.code, exported.stderr).toBe(0);
    const pods = podsOfJob(readFileSync(join(dir, 'job.yaml'), 'utf8'), [readFileSync(join(dir, 'secret.yaml'), 'utf8')]);
    expect(pods).toHaveLength(2);
    const token = readFileSync(join(dir, 'collector-token'), 'utf8').trim();
    // The judge's environment has no token of its own: judge.sh reads it from the export's file.
    const { STAMPEDE_COLLECTOR_TOKEN: _ignored, ...clean } = process.env;

    const out = runDir('judge');
    let podRuns: Promise<CliResult[]> | undefined;
    let judgeWorkerArgs: string[] = [];
    let judgeCollector = '';
    const judge = runToEnd('sh', [join(dir, 'judge.sh'), '--out', out, '--quiet'], {
      cwd: ROOT,
      env: clean,
      onStderr: (stderr) => {
        const printed = /as: bin\/stampede worker (.*?) --collector (\S+) --count 2 --index I/.exec(stderr);
        if (!printed || podRuns) return;
        judgeWorkerArgs = printed[1]!.split(' ');
        judgeCollector = printed[2]!;
        // Each pod: the Job's command (bin/stampede, from the image's working folder) with the pod's environment.
        podRuns = Promise.all(pods.map((pod) => runToEnd(process.execPath, [join(ROOT, pod.argv[0]!), ...pod.argv.slice(1)], {
          cwd: ROOT,
          env: { ...clean, ...pod.env },
        })));
      },
    });
    const local = stampede(['run', 'storm', ...WORLD, '--bug', 'github-2021', '--workers', '2', '--quiet', '--out', runDir('local')], { timeoutMs: DEADLINE_MS });
    const judged = await judge;
    expect(podRuns, judged.stderr.slice(-3000)).toBeDefined();
    // The judge's own worker command and the Job's agree, client proxy address included.
    expect(pods[0]!.argv.slice(2)).toEqual(judgeWorkerArgs);
    expect(judgeCollector).toBe(pods[0]!.env.STAMPEDE_COLLECTOR);
    for (const pod of await podRuns!) expect(pod.code, pod.stderr.slice(-2000)).toBe(0);
    expect(judged.stderr).not.toContain(token);
    const summary = readSummary(out);
    expect(summary.workers!.map((share) => share.worker)).toEqual([1, 2]);
    expect(summary.leaks.bySurface.list).toBeGreaterThan(0);
    const localRun = await local;
    expect({ code: judged.code, verdict: summary.verdict }).toEqual({ code: localRun.code, verdict: 'fail' });
    expect(judged.code).toBe(1);
  }, 300_000);
});
