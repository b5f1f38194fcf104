import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnavailableError, UsageError } from '../cli/exit.ts';
import { startChild } from './child.ts';
import { findOnPath } from './locate.ts';
import { freePort } from './ports.ts';
import { DEFAULT_REDIS_URL, probeRedis } from './redis-probe.ts';

/** A Redis to use: the configured one, or a private redis-server we started (stop() ends it). */
export interface RedisService {
  readonly url: string;
  /** True when this process started a private redis-server. */
  readonly started: boolean;
  stop(): Promise<void>;
}

export interface EnsureRedisOptions {
  /** Defaults to $REDIS_URL, then redis://127.0.0.1:6379. */
  readonly url?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
}

/**
 * The configured Redis when it answers; otherwise a private redis-server on a free port with
 * persistence off in a temporary folder. Fails with one line when neither is possible.
 */
export async function ensureRedis(options: EnsureRedisOptions = {}): Promise<RedisService> {
  const env = options.env ?? process.env;
  const url = options.url ?? (env.REDIS_URL || DEFAULT_REDIS_URL);
  if (!URL.canParse(url) || !/^rediss?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`REDIS_URL ${url} is not a redis:// URL`, `use e.g. ${DEFAULT_REDIS_URL}`);
  }
  const probe = await probeRedis(url);
  if (probe.reachable) return { url, started: false, stop: async () => undefined };
  const server = findOnPath('redis-server', env);
  if (server === undefined) {
    throw new UnavailableError(`Redis at ${url} does not answer (${probe.error}) and redis-server is not installed`, 'start Redis there, set REDIS_URL, or install redis-server (apt-get install redis-server / brew install redis)');
  }
  options.log?.(`Redis at ${url} does not answer; starting a private redis-server`);
  return startPrivateRedis(server);
}

async function startPrivateRedis(server: string): Promise<RedisService> {
  const dir = await mkdtemp(join(tmpdir(), 'stampede-redis-'));
  try {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const child = await startChild({
      name: 'redis-server',
      command: server,
      args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
      ready: async () => (await probeRedis(url, 500)).reachable,
    });
    return {
      url,
      started: true,
      stop: async () => {
        await child.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
