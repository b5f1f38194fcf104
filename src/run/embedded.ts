/**
 * The embedded default target: the reference cloud as a child process (`stampede target`), its Redis cache
 * reached through a Toxiproxy proxy so the nemesis can slow, cut and reset the cache path. A child process,
 * not in-process, so the cloud's sockets and CPU are its own, as a real backend's would be.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { keepSecret } from '../protocol/redact.ts';
import { startChild, type ManagedChild } from '../services/child.ts';
import { ensureRedis, type RedisService } from '../services/redis.ts';
import { NODE_CHILD_FLAGS } from './node-flags.ts';

export interface EmbeddedCloud {
  url: string;
  port: number;
  adminToken: string;
  child: ManagedChild;
}

const STAMPEDE_BIN = fileURLToPath(new URL('../../bin/stampede', import.meta.url));
/**
 * Starting Node with tsx and the cloud's modules takes a second or two on an idle machine, but far longer on a
 * loaded one (CI runners, a run's own workers starting at the same time): the wait is for a cloud that is still
 * starting, and only a cloud that exits or stays silent this long is a failure.
 */
const READY_TIMEOUT_MS = 120_000;

/** The Redis the embedded cloud caches in, as host:port for its proxy. */
export async function embeddedRedis(log: (line: string) => void): Promise<{ redis: RedisService; upstream: string }> {
  const redis = await ensureRedis({ log });
  const url = new URL(redis.url);
  return { redis, upstream: `${url.hostname}:${url.port || 6379}` };
}

/**
 * Starts `stampede target` on `port` (and `extraPorts`, one per further client proxy shard) with the cache at
 * `redisUrl`; the admin token travels in the environment, never argv.
 */
export async function startEmbeddedCloud(port: number, extraPorts: readonly number[], redisUrl: string, bug: string): Promise<EmbeddedCloud> {
  const adminToken = randomBytes(24).toString('base64url');
  keepSecret(adminToken);
  const url = `http://127.0.0.1:${port}`;
  const child = await startChild({
    name: 'the reference cloud (stampede target)',
    command: process.execPath,
    args: [...NODE_CHILD_FLAGS, STAMPEDE_BIN, 'target', '--port', String(port), ...extraPorts.flatMap((extra) => ['--extra-port', String(extra)]), '--bug', bug, '--redis', redisUrl],
    env: { ...process.env, STAMPEDE_ADMIN_TOKEN: adminToken },
    ready: async () => (await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(1_000) })).ok,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  return { url, port, adminToken, child };
}
