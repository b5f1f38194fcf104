/**
 * The Indexed Job that runs the workers: pod `i` of `parallelism` is `bin/stampede worker` simulating slice `i`
 * (Kubernetes gives each pod its index in JOB_COMPLETION_INDEX, which the worker reads). The pods reach the judge
 * through STAMPEDE_COLLECTOR and storm the judge's Toxiproxy proxy of each adapter endpoint (`--target`), so the
 * nemesis on the judge's side cuts every pod's traffic. The adapter and world files are the image's copies (paths
 * relative to the working folder). Secrets come from the Secret by reference; the Job names them, never holds them.
 */
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IIoK8sApiCoreV1EnvVar } from 'kubernetes-models/v1/EnvVar';
import type { ExportPlan } from './plan.ts';
import { workerResources } from './resources.ts';
import { ADAPTER_OPTIONS_KEY, SECRET_NAME, SEED_KEY, TOKEN_KEY, worldSecretKey } from './secret.ts';
import { ADAPTER_OPTIONS_ENV } from '../../run/adapter-options.ts';
import { targetFlags } from '../../run/endpoints.ts';
import { NODE_CHILD_FLAGS } from '../../run/node-flags.ts';

export const JOB_NAME = 'stampede-workers';
export const CONTAINER_NAME = 'worker';
/** Where the Dockerfile puts the project; `command` is relative to it. */
export const WORKDIR = '/app';
/** The `node` user of the node images: numeric, so the kubelet can check runAsNonRoot. */
const NODE_UID = 1000;
/** A worker's exit code for bad usage (a flag or a plan the judge refuses): a retry would fail the same way. */
const EXIT_USAGE = 2;

export function buildJob(plan: ExportPlan): IJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: JOB_NAME, labels: labels() },
    spec: {
      completionMode: 'Indexed',
      completions: plan.parallelism,
      parallelism: plan.parallelism,
      // One retry per index for a pod lost before it joined the run (a node drained, a pod evicted at start); a
      // worker that dies mid-run already made the judge's run an error, and then one failed index fails the Job,
      // stopping the other pods instead of letting them storm for nothing.
      backoffLimitPerIndex: 1,
      maxFailedIndexes: 0,
      // The same bound on clusters without per-index backoff (before 1.29), where the field above is dropped.
      backoffLimit: plan.parallelism,
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: CONTAINER_NAME, operator: 'In', values: [EXIT_USAGE] } }] },
      activeDeadlineSeconds: deadlineSeconds(plan.durationS),
      // Keep the finished pods' logs for an hour, then clean up.
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: labels() },
        spec: {
          restartPolicy: 'Never',
          enableServiceLinks: false,
          securityContext: { runAsNonRoot: true, runAsUser: NODE_UID },
          containers: [
            {
              name: CONTAINER_NAME,
              image: plan.image,
              imagePullPolicy: 'IfNotPresent',
              workingDir: WORKDIR,
              command: ['bin/stampede'],
              args: workerArgs(plan),
              env: workerEnv(plan),
              resources: workerResources(plan),
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}

/**
 * The run's length, plus 5 minutes before it for scheduling, image pulls and a judge started after the Job, and a
 * tenth of the run after it for the end (the last batch and the tally). Kubernetes stops a Job that outlives this,
 * so a forgotten or stuck run never storms on by itself.
 */
export function deadlineSeconds(durationS: number): number {
  return Math.ceil(durationS + 300 + durationS / 10);
}

/** The worker's flags: the same world and schedule flags as the judge's (the judge refuses a worker whose differ). */
function workerArgs(plan: ExportPlan): string[] {
  return [
    'worker',
    plan.scenario,
    ...(plan.files?.adapterPath ? ['--adapter', plan.files.adapterPath] : []),
    ...targetFlags(plan.adapter, plan.workerTargets),
    // Kubernetes expands $(STAMPEDE_SEED) from the container's env, which takes it from the Secret.
    '--seed', '$(STAMPEDE_SEED)',
    ...fleetFlags(plan),
    '--duration', String(plan.durationS),
    ...(plan.allowRemote ? ['--allow-remote'] : []),
  ];
}

/** The world file's copy when there is one (it says how many cameras and users), else the counts. */
export function fleetFlags(plan: ExportPlan): string[] {
  return plan.files?.worldPath ? ['--world', plan.files.worldPath] : ['--cameras', String(plan.cameras), '--users', String(plan.users)];
}

function workerEnv(plan: ExportPlan): IIoK8sApiCoreV1EnvVar[] {
  const fromSecret = (key: string) => ({ secretKeyRef: { name: SECRET_NAME, key } });
  return [
    { name: 'STAMPEDE_SEED', valueFrom: fromSecret(SEED_KEY) },
    { name: 'STAMPEDE_COLLECTOR_TOKEN', valueFrom: fromSecret(TOKEN_KEY) },
    { name: 'STAMPEDE_COLLECTOR', value: plan.collectorUrl },
    { name: 'STAMPEDE_WORKER_COUNT', value: String(plan.parallelism) },
    // The Node flags a local worker is started with (node-flags.ts); a pod's node reads them from here.
    { name: 'NODE_OPTIONS', value: NODE_CHILD_FLAGS.join(' ') },
    ...(Object.keys(plan.adapterOptions).length > 0 ? [{ name: ADAPTER_OPTIONS_ENV, valueFrom: fromSecret(ADAPTER_OPTIONS_KEY) }] : []),
    // Each under the name the world file gives it, as the worker reading the file looks it up.
    ...Object.keys(plan.worldSecrets).map((name) => ({ name, valueFrom: fromSecret(worldSecretKey(name)) })),
  ];
}

function labels(): Record<string, string> {
  return { 'app.kubernetes.io/name': 'stampede', 'app.kubernetes.io/component': 'worker' };
}
