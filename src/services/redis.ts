import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnavailableError, UsageError } from '../errors.ts';
import { startChild } from './child.ts';
import { findOnPath } from './locate.ts';
import { ownerGone, ownerMark } from './owner.ts';
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

/** A private Redis's folder: `stampede-redis-pid<owner>-XXXXXX` in the temp folder. */
const FOLDER_PREFIX = 'stampede-redis-';
const OWNED_FOLDER = /^stampede-redis-pid(\d+)-/;

async function startPrivateRedis(server: string): Promise<RedisService> {
  const dir = await mkdtemp(join(tmpdir(), `${FOLDER_PREFIX}${ownerMark()}-`));
  // A process that quits at once (a second Ctrl-C) runs only synchronous exit handlers: the registry kills
  // redis-server there, and this removes its folder. Only SIGKILL leaves it, for `sweepRedisFolders`.
  const removeOnExit = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeOnExit);
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
        process.off('exit', removeOnExit);
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    process.off('exit', removeOnExit);
    throw error;
  }
}

/** Removes the folders of private Redis servers whose owner process is gone; returns their paths. */
export async function sweepRedisFolders(parent: string = tmpdir(), isGone: (pid: number) => boolean = ownerGone): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(parent).catch(() => [])) {
    const owner = OWNED_FOLDER.exec(name)?.[1];
    if (owner === undefined || owner === String(process.pid) || !isGone(Number(owner))) continue;
    const path = join(parent, name);
    try {
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // another user's, or already going: not ours to insist on
    }
  }
  return removed;
}
