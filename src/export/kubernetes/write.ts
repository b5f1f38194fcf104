/**
 * Writes a Kubernetes export to its folder: the Job and the Secret (each validated against the Kubernetes API
 * schemas first), the collector token and adapter options for the judge, the worker image's Dockerfile, judge.sh,
 * and the copies of the adapter and world files the image carries.
 */
import { chmod, copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Document } from 'yaml';
import { UsageError } from '../../errors.ts';
import { dockerfile, dockerignore } from './image.ts';
import { buildJob } from './job.ts';
import { ADAPTER_OPTIONS_FILE, judgeCommand, judgeScript } from './judge.ts';
import type { ExportPlan } from './plan.ts';
import { BASE_MIB, clientsPerPod, HEADROOM, PER_CLIENT_MIB, workerResources } from './resources.ts';
import { buildSecret, freshCollectorToken } from './secret.ts';
import { validateManifest } from './validate.ts';

export const TOKEN_FILE = 'collector-token';

export interface ExportResult {
  files: string[];
  /** The judge's command line, reading the token from its file. */
  judgeCommand: string;
  memory: string;
}

export async function writeKubernetesExport(plan: ExportPlan): Promise<ExportResult> {
  await prepareFolder(plan.outDir);
  const token = freshCollectorToken();
  const job = buildJob(plan);
  const secret = buildSecret(token, plan);
  validateManifest('job.yaml', job);
  validateManifest('secret.yaml', secret);
  const memory = workerResources(plan).requests.memory;
  const files: Array<[name: string, text: string, mode: number]> = [
    ['secret.yaml', yamlOf(secret, ' Apply first: the collector token and the seed, which every password and camera secret of a generated world derives from,\n' +
      ' and the adapter options and world file secrets when there are any.'), 0o600],
    ['job.yaml', yamlOf(job, [
      ` ${plan.parallelism} worker pods, slice i of ${plan.parallelism} each; apply after secret.yaml.`,
      ` memory per pod = ${BASE_MIB} MiB + ceil(${HEADROOM} x ${PER_CLIENT_MIB} MiB x ${clientsPerPod(plan)} clients) = ${memory}`,
    ].join('\n')), 0o644],
    [TOKEN_FILE, `${token}\n`, 0o600],
    ...(Object.keys(plan.adapterOptions).length > 0 ? [[ADAPTER_OPTIONS_FILE, `${JSON.stringify(plan.adapterOptions)}\n`, 0o600] satisfies [string, string, number]] : []),
    ['Dockerfile', dockerfile(plan), 0o644],
    ['Dockerfile.dockerignore', dockerignore(plan), 0o644],
    ['judge.sh', judgeScript(plan), 0o755],
  ];
  // An options file an earlier export left would keep its secrets beside a judge.sh that no longer reads it.
  if (Object.keys(plan.adapterOptions).length === 0) await rm(join(plan.outDir, ADAPTER_OPTIONS_FILE), { force: true });
  for (const file of plan.files?.files ?? []) {
    await mkdir(dirname(join(plan.outDir, file.to)), { recursive: true });
    await copyFile(file.from, join(plan.outDir, file.to));
  }
  for (const [name, text, mode] of files) {
    const path = join(plan.outDir, name);
    await writeFile(path, text, { mode });
    await chmod(path, mode); // writeFile's mode only applies to a new file; an old token file may have been readable
  }
  return {
    files: [...files.map(([name]) => name), ...(plan.files?.files ?? []).map((file) => file.to)],
    judgeCommand: judgeCommand(plan, join(plan.outDir, TOKEN_FILE), join(plan.outDir, ADAPTER_OPTIONS_FILE)),
    memory,
  };
}

async function prepareFolder(dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new UsageError(`--out ${dir} is a file`, 'give a folder to write the manifests into (it is created if missing)');
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create --out ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'give a folder you can write to');
  }
}

function yamlOf(manifest: object, header: string): string {
  const document = new Document(manifest);
  document.commentBefore = ` Written by bin/stampede export kubernetes.\n${header}`;
  return document.toString({ lineWidth: 0 });
}
