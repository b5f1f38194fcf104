/**
 * The reference cloud in a child process of its own, for benches that measure only the harness's side. Forked from
 * here with its admin token in the environment (never in argv); it stops when the bench lets go of it.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startCloud } from '../simulators/cloud/index.ts';

export interface CloudChild {
  url: string;
  adminToken: string;
  pid: number;
  /** Lets the child go and resolves once it has exited. */
  stop(): Promise<void>;
}

const ROLE = 'STAMPEDE_BENCH_CLOUD_TOKEN';
const REDIS = 'STAMPEDE_BENCH_CLOUD_REDIS';

if (process.env[ROLE] && process.send) {
  const cloud = await startCloud({ port: 0, adminToken: process.env[ROLE], keepaliveMs: 600_000, redisUrl: process.env[REDIS] || undefined });
  process.send({ url: cloud.url });
  process.on('disconnect', () => void cloud.stop().then(() => process.exit(0)));
}

/** `redisUrl`: the cache the cloud reads through, as a run's cloud does; absent, none. */
export async function startCloudChild(redisUrl?: string): Promise<CloudChild> {
  const adminToken = randomBytes(16).toString('hex');
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, [ROLE]: adminToken, [REDIS]: redisUrl ?? '' }, execArgv: ['--import', 'tsx'] });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { url: string }));
    child.once('exit', (code) => reject(new Error(`the cloud exited (${code})`)));
  });
  return {
    url,
    adminToken,
    pid: child.pid!,
    async stop() {
      child.disconnect();
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
    },
  };
}
