/**
 * What each pod of an exported Job runs: its argv, working folder and environment, read from job.yaml and
 * secret.yaml the way the kubelet reads them. This is how the Job is tried without a cluster: run every index's
 * argv on this machine with its env, against a `--workers 0` judge.
 *
 * Kept faithful to Kubernetes where it matters: `env` entries resolve in order, each seeing only those before it;
 * `valueFrom.secretKeyRef` reads the Secret's `stringData` or base64 `data`; `$(NAME)` in command, args and env
 * values expands to a defined variable and stays as written otherwise, `$$` escapes a `$`; an Indexed Job's
 * controller appends JOB_COMPLETION_INDEX to each container's env.
 */
import { parse } from 'yaml';
import { validateManifest } from './validate.ts';

export interface PodLaunch {
  index: number;
  /** command followed by args, expanded. */
  argv: string[];
  workingDir?: string;
  env: Record<string, string>;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

interface Container {
  name: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
}

interface SecretDoc {
  metadata?: { name?: string };
  stringData?: Record<string, string>;
  data?: Record<string, string>;
}

/** One launch per completion index of the Job in `jobYaml`, secrets resolved from `secretYamls`. */
export function podsOfJob(jobYaml: string, secretYamls: string[]): PodLaunch[] {
  const job = parse(jobYaml) as { spec: { completionMode?: string; completions?: number; template: { spec: { containers: Container[] } } } };
  validateManifest('job.yaml', job);
  const secrets = secretYamls.map((text) => parse(text) as SecretDoc);
  secrets.forEach((secret) => validateManifest('secret.yaml', secret));
  if (job.spec.completionMode !== 'Indexed') throw new Error('the Job is not Indexed: its pods would get no JOB_COMPLETION_INDEX');
  const containers = job.spec.template.spec.containers;
  if (containers.length !== 1) throw new Error(`the Job's pods have ${containers.length} containers; a worker pod has one`);
  const container = containers[0]!;
  if (!container.command) throw new Error('the worker container names no command: it would run the image\'s entrypoint, which this helper cannot see');
  const completions = job.spec.completions ?? 1;
  return Array.from({ length: completions }, (_, index) => {
    const env = resolveEnv([...(container.env ?? []), { name: 'JOB_COMPLETION_INDEX', value: String(index) }], secrets);
    const argv = [...container.command!, ...(container.args ?? [])].map((word) => expand(word, env));
    return { index, argv, ...(container.workingDir ? { workingDir: container.workingDir } : {}), env };
  });
}

function resolveEnv(vars: EnvVar[], secrets: SecretDoc[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of vars) {
    if (variable.valueFrom) {
      const ref = variable.valueFrom.secretKeyRef;
      if (!ref) throw new Error(`env ${variable.name}: only secretKeyRef sources are resolved here`);
      const value = secretValue(secrets, ref.name, ref.key);
      if (value === undefined) {
        if (ref.optional) continue;
        throw new Error(`env ${variable.name}: secret ${ref.name} has no key ${ref.key} (the pod would not start)`);
      }
      env[variable.name] = value;
    } else {
      env[variable.name] = expand(variable.value ?? '', env);
    }
  }
  return env;
}

function secretValue(secrets: SecretDoc[], name: string, key: string): string | undefined {
  const secret = secrets.find((candidate) => candidate.metadata?.name === name);
  if (!secret) return undefined;
  // As the API server does: stringData is merged over data.
  if (secret.stringData && key in secret.stringData) return secret.stringData[key];
  if (secret.data && key in secret.data) return Buffer.from(secret.data[key]!, 'base64').toString('utf8');
  return undefined;
}

/** Kubernetes' $(VAR) expansion: defined variables expand, undefined references stay as written, `$$` is `$`. */
export function expand(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) =>
    match === '$$' ? '$' : name !== undefined && Object.hasOwn(env, name) ? env[name]! : match,
  );
}
