/**
 * An exported Kubernetes Job tried without a cluster: its judge.sh runs the judge (`run --workers 0`), and each
 * index of job.yaml runs as the pod would, with the argv and environment the Job gives it (secrets resolved from
 * secret.yaml). The verdict must be the one a local run gives on the same seed.
 *
 * The pods storm the address the Job names: the judge's Toxiproxy client proxy, which judge.sh makes listen there
 * (`--proxy-listen`), as a Service in front of the judge would in a cluster.
 *
 * An export for the user's own adapter and world file is tried the same way against the embedded MQTT cloud: the
 * pods load the export's copies of the adapter and world files (the paths the image has them at, relative to the
 * working folder, which the project root stands in for here), reach both of its endpoints through the judge's
 * proxies, and get the adapter options and the world's secret from the Secret, never from their argv.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { podsOfJob, type PodLaunch } from '../../src/export/kubernetes/pods.ts';
import { freePort } from '../../src/services/ports.ts';
import { worldTemplate } from '../../src/world/template.ts';
import { readSummary, runDir, runProcess, stampede, type CliResult } from '../helpers/cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORLD = ['--seed', '8', '--cameras', '60', '--users', '30', '--duration', '16'];
const DEADLINE_MS = 240_000;

const runToEnd = (command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; onStderr?: (stderr: string) => void }): Promise<CliResult> =>
  runProcess(command, args, { ...options, timeoutMs: DEADLINE_MS });

/** The environment of this test run without a collector token: judge.sh reads its own from the export's file. */
function cleanEnv(): NodeJS.ProcessEnv {
  const { STAMPEDE_COLLECTOR_TOKEN: _ignored, ...clean } = process.env;
  return clean;
}

interface ExportRun {
  pods: PodLaunch[];
  judged: CliResult;
  podRuns?: CliResult[];
  /** The worker command the judge printed, and the collector it named. */
  judgeWorkerArgs: string[];
  judgeCollector: string;
}

/** Runs the export in `dir`: judge.sh from the project root with `judgeEnv`, then every pod once the judge waits for them. */
async function runExport(dir: string, out: string, judgeEnv: NodeJS.ProcessEnv): Promise<ExportRun> {
  const pods = podsOfJob(readFileSync(join(dir, 'job.yaml'), 'utf8'), [readFileSync(join(dir, 'secret.yaml'), 'utf8')]);
  let podRuns: Promise<CliResult[]> | undefined;
  const printed = { judgeWorkerArgs: [] as string[], judgeCollector: '' };
  const judged = await runToEnd('sh', [join(dir, 'judge.sh'), '--out', out, '--quiet'], {
    cwd: ROOT,
    env: judgeEnv,
    onStderr: (stderr) => {
      const line = new RegExp(`as: bin/stampede worker (.*?) --collector (\\S+) --count ${pods.length} --index I`).exec(stderr);
      if (!line || podRuns) return;
      printed.judgeWorkerArgs = line[1]!.split(' ');
      printed.judgeCollector = line[2]!;
      // Each pod: the Job's command (bin/stampede, from the image's working folder) with the pod's environment only.
      podRuns = Promise.all(pods.map((pod) => runToEnd(process.execPath, [join(ROOT, pod.argv[0]!), ...pod.argv.slice(1)], {
        cwd: ROOT,
        env: { ...cleanEnv(), ...pod.env },
      })));
    },
  });
  return { pods, judged, ...(podRuns ? { podRuns: await podRuns } : {}), ...printed };
}

describe('an exported Kubernetes Job, run by hand', () => {
  it('its pods, judged by judge.sh, give the verdict of a local run on the same seed', async () => {
    const servicePort = await freePort();
    const collectorPort = await freePort();
    const dir = runDir('k8s');
    const exported = await stampede(['export', 'kubernetes', 'storm', '--out', dir, '--parallelism', '2', ...WORLD, '--bug', 'github-2021',
      '--target', `http://127.0.0.1:${servicePort}`, '--collector', `http://127.0.0.1:${collectorPort}`]);
    expect(exported.code, exported.stderr).toBe(0);
    const token = readFileSync(join(dir, 'collector-token'), 'utf8').trim();
    const out = runDir('judge');
    const local = stampede(['run', 'storm', ...WORLD, '--bug', 'github-2021', '--workers', '2', '--quiet', '--out', runDir('local')], { timeoutMs: DEADLINE_MS });
    const { pods, judged, podRuns, judgeWorkerArgs, judgeCollector } = await runExport(dir, out, cleanEnv());
    expect(pods).toHaveLength(2);
    expect(podRuns, judged.stderr.slice(-3000)).toBeDefined();
    // The judge's own worker command and the Job's agree, client proxy address included.
    expect(pods[0]!.argv.slice(2)).toEqual(judgeWorkerArgs);
    expect(judgeCollector).toBe(pods[0]!.env.STAMPEDE_COLLECTOR);
    for (const pod of podRuns!) expect(pod.code, pod.stderr.slice(-2000)).toBe(0);
    expect(judged.stderr).not.toContain(token);
    const summary = readSummary(out);
    expect(summary.workers!.map((share) => share.worker)).toEqual([1, 2]);
    expect(summary.leaks.bySurface.list).toBeGreaterThan(0);
    const localRun = await local;
    expect({ code: judged.code, verdict: summary.verdict }).toEqual({ code: localRun.code, verdict: 'fail' });
    expect(judged.code).toBe(1);
  }, 300_000);

  it('with --adapter, --adapter-option and --world: the pods run the image\'s copies against both MQTT endpoints, secrets from the Secret', async () => {
    const [apiPort, brokerPort, collectorPort] = [await freePort(), await freePort(), await freePort()];
    // The build context is the project root, so an export with files for the image is written inside it.
    const base = mkdtempSync(join(ROOT, 'reports', 'e2e-k8s-adapter-'));
    try {
      const worldEnv = 'STAMPEDE_TEST_K8S_CAMERA_SECRET';
      const worldSecret = `cam-${Math.random().toString(36).slice(2)}-secret`;
      const optionValue = `opt-${Math.random().toString(36).slice(2)}-value`;
      let n = 0;
      const world = join(runDir('k8s-world'), '..', 'world.yaml');
      writeFileSync(world, worldTemplate({ cameras: 16, users: 8 }, () => `literal-secret-${n++}`)
        .replace(/(id: cam-2\n {4}secret: )"[^"]+"/, `$1"\${${worldEnv}}"`));
      const dir = join(base, 'k8s');
      const exported = await stampede(['export', 'kubernetes', 'storm', '--out', dir, '--parallelism', '2', '--seed', '11', '--duration', '16',
        '--adapter', 'examples/adapters/mqtt.adapter.ts', '--cloud', 'mqtt', '--world', world, '--adapter-option', `probe=${optionValue}`,
        '--target', `api=http://127.0.0.1:${apiPort}`, '--target', `broker=mqtt://127.0.0.1:${brokerPort}`, '--collector', `http://127.0.0.1:${collectorPort}`],
      { env: { [worldEnv]: worldSecret } });
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).not.toContain(optionValue);
      expect(exported.stdout).not.toContain(worldSecret);

      // The judge gets the world's secret from its environment, as judge.sh asks; the options from the export's file.
      const out = runDir('judge-adapter');
      const { pods, judged, podRuns, judgeWorkerArgs } = await runExport(dir, out, { ...cleanEnv(), [worldEnv]: worldSecret });
      expect(podRuns, judged.stderr.slice(-3000)).toBeDefined();
      for (const pod of pods) {
        expect(pod.argv.join(' ')).not.toContain(optionValue);
        expect(pod.argv.join(' ')).not.toContain(worldSecret);
        expect(pod.env[worldEnv]).toBe(worldSecret);
        expect(JSON.parse(pod.env.STAMPEDE_ADAPTER_OPTIONS!)).toEqual({ probe: optionValue });
      }
      // The same worker command as the judge's (which names the copies by absolute path), both endpoints' proxies included.
      const absolute = pods[0]!.argv.slice(2).map((word, i, argv) => (['--adapter', '--world'].includes(argv[i - 1]!) ? resolve(ROOT, word) : word));
      expect(absolute).toEqual(judgeWorkerArgs);
      expect(absolute).toEqual(expect.arrayContaining([`api=http://127.0.0.1:${apiPort}`, `broker=mqtt://127.0.0.1:${brokerPort}`, resolve(dir, 'image-files/world/world.yaml')]));
      // The judge has the options too (it names their keys, never their values).
      expect(judged.stderr).toContain('STAMPEDE_ADAPTER_OPTIONS set to this run\'s --adapter-option values as one JSON object (keys probe');
      for (const pod of podRuns!) expect(pod.code, pod.stderr.slice(-2000)).toBe(0);
      for (const text of [judged.stderr, judged.stdout, readFileSync(join(out, 'summary.json'), 'utf8')]) {
        expect(text).not.toContain(optionValue);
        expect(text).not.toContain(worldSecret);
      }
      const summary = readSummary(out);
      expect(summary.workers!.map((share) => share.worker)).toEqual([1, 2]);
      expect({ code: judged.code, verdict: summary.verdict }, judged.stderr.slice(-3000)).toEqual({ code: 0, verdict: 'pass' });
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }, 300_000);
});
