/**
 * `stampede setup`: puts toxiproxy-server in the cache (building the pinned version with Go when it is not
 * already on this machine) and checks Redis. Safe to run again: what is there is reused.
 */
import type { Command } from 'commander';
import { printableLine } from '../protocol/printable.ts';
import { findOnPath } from '../services/locate.ts';
import { provisionTool, provisionedVersion } from '../services/provision.ts';
import { DEFAULT_REDIS_URL, probeRedis } from '../services/redis-probe.ts';
import { toxiproxyTool, type ToolSpec } from '../services/tools.ts';
import { ExitCode, UnavailableError } from '../errors.ts';
import type { Subcommand } from './main.ts';

const say = (line: string): void => void process.stdout.write(`${printableLine(line)}\n`);

async function setUp(tool: ToolSpec): Promise<void> {
  const found = await provisionTool(tool, { log: say });
  const version = (await provisionedVersion(tool, found.path)) ?? 'version unknown';
  const how = found.source === 'built' ? 'built' : `already there (from ${found.source})`;
  say(`${tool.name}: ${how}: ${found.path}, ${version}`);
}

async function checkRedis(): Promise<void> {
  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const probe = await probeRedis(url);
  if (probe.reachable) return say(`redis: ${url} answers (Redis ${probe.version ?? 'version unknown'})`);
  const server = findOnPath('redis-server');
  if (server === undefined) throw new UnavailableError(`Redis at ${url} does not answer and redis-server is not installed`, 'start Redis, set REDIS_URL, or install redis-server');
  say(`redis: ${url} does not answer; runs and tests will start a private ${server}`);
}

export const setup: Subcommand = (program: Command, done) => {
  program
    .command('setup')
    .description('provision toxiproxy-server into the cache (built with Go when missing) and check Redis')
    .action(async () => {
      await setUp(toxiproxyTool);
      await checkRedis();
      done(ExitCode.ok);
    });
};
