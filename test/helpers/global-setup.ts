/**
 * Vitest global setup: runs once in the main process before any test file.
 * - Provisions toxiproxy-server (builds the pinned version with Go into the cache the first time;
 *   the build is file-locked, so this is safe however vitest is started).
 * - Ensures Redis: the one at $REDIS_URL (default 127.0.0.1:6379), or a private redis-server it starts.
 * Hands both to the tests as environment variables, REDIS_URL and TOXIPROXY_BIN, set here before
 * the workers start so they inherit them, and so do CLIs the tests spawn; the library defaults
 * (ensureRedis, startToxiproxy) read exactly these. They are also provided as `inject('redisUrl')`
 * and `inject('toxiproxyBin')` for tests that prefer typed access.
 * Teardown stops the private Redis if one was started.
 */
import type { TestProject } from 'vitest/node';
import { ensureRedis } from '../../src/services/redis.ts';
import { provisionTool } from '../../src/services/provision.ts';
import { toxiproxyTool } from '../../src/services/tools.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** Empty when TOXIPROXY_URL names a running server and no binary is needed. */
    toxiproxyBin: string;
  }
}

const log = (line: string): void => void process.stderr.write(`[global-setup] ${line}\n`);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const toxiproxyBin = process.env.TOXIPROXY_URL ? '' : (await provisionTool(toxiproxyTool, { log })).path;
  const redis = await ensureRedis({ log });
  if (toxiproxyBin !== '') process.env.TOXIPROXY_BIN = toxiproxyBin;
  process.env.REDIS_URL = redis.url;
  project.provide('redisUrl', redis.url);
  project.provide('toxiproxyBin', toxiproxyBin);
  return async () => {
    await redis.stop();
  };
}
