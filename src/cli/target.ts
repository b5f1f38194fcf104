/**
 * `stampede target`: runs the reference camera cloud (simulators/cloud) until SIGTERM or SIGINT. The first line
 * on stdout is `listening <port>`, so whoever started it (a run, a test, a script) knows when and where it is up.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { startCloud, type CloudOptions } from '../../simulators/cloud/index.ts';
import { BUG_NAMES } from '../../simulators/cloud/bugs/index.ts';
import { printableLine } from '../protocol/printable.ts';
import { ExitCode, UsageError } from '../errors.ts';
import type { Subcommand } from './main.ts';

interface RawOptions {
  port: number;
  host: string;
  adminToken?: string;
  bug: string;
  redis: string;
}

const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

function portNumber(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65_535) throw new InvalidArgumentError('expected a port from 0 to 65535 (0: any free port)');
  return value;
}

/** Raw flags to the one validated config the cloud starts with. */
export function targetConfig(raw: RawOptions, log: (line: string) => void): CloudOptions {
  if (!raw.adminToken) throw new UsageError('no admin token', 'pass --admin-token or set STAMPEDE_ADMIN_TOKEN');
  let redisUrl: string | undefined;
  if (raw.redis !== 'none') {
    let url: URL;
    try {
      url = new URL(raw.redis);
    } catch {
      throw new UsageError('--redis is not a URL', `use e.g. ${DEFAULT_REDIS}, or none`);
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new UsageError('--redis must be a redis:// or rediss:// URL', `use e.g. ${DEFAULT_REDIS}, or none`);
    redisUrl = raw.redis;
  }
  return { port: raw.port, host: raw.host, adminToken: raw.adminToken, bug: raw.bug, redisUrl, log };
}

export const target: Subcommand = (program: Command, done) => {
  program
    .command('target')
    .description('run the reference camera cloud until SIGTERM or SIGINT; prints "listening <port>" when ready')
    .requiredOption('--port <n>', 'port to listen on; 0 picks a free one', portNumber)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--admin-token <token>', 'token guarding the admin calls').env('STAMPEDE_ADMIN_TOKEN'))
    .option('--bug <name>', `a leak-zoo bug to switch on: ${BUG_NAMES.join(', ')}`, 'none')
    .option('--redis <url>', 'Redis for the cache, or none', DEFAULT_REDIS)
    .action(async (raw: RawOptions) => {
      const log = (line: string) => process.stderr.write(`${printableLine(`stampede target: ${line}`)}\n`);
      const cloud = await startCloud(targetConfig(raw, log));
      process.stdout.write(`listening ${cloud.port}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGTERM', stop).off('SIGINT', stop);
          resolve();
        };
        process.on('SIGTERM', stop).on('SIGINT', stop);
      });
      await cloud.stop();
      done(ExitCode.ok);
    });
};
