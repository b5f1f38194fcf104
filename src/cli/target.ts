/**
 * `stampede target`: runs the reference camera cloud (simulators/cloud), or with `--cloud mqtt` the MQTT camera
 * cloud (simulators/mqtt-cloud) and its private broker, until SIGTERM or SIGINT. The first line on stdout is
 * `listening <port>` (the HTTP API), so whoever started it (a run, a test, a script) knows when and where it is up;
 * the MQTT cloud then prints `broker <port>`.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { startCloud, type CloudOptions } from '../../simulators/cloud/index.ts';
import { BUG_NAMES } from '../../simulators/cloud/bugs/index.ts';
import { MQTT_BUG_NAMES } from '../../simulators/mqtt-cloud/bugs.ts';
import { startMqttCloud } from '../../simulators/mqtt-cloud/index.ts';
import { printableLine } from '../protocol/printable.ts';
import { ExitCode, UsageError } from '../errors.ts';
import type { Subcommand } from './main.ts';

interface RawOptions {
  port: number;
  host: string;
  adminToken?: string;
  bug: string;
  redis: string;
  cloud: string;
  brokerPort: number;
  extraPort: number[];
}

const CLOUDS = ['reference', 'mqtt'] as const;

const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

function portNumber(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65_535) throw new InvalidArgumentError('expected a port from 0 to 65535 (0: any free port)');
  return value;
}

/** A fixed port for `--extra-port` (0 would pick one nobody learns), added to those given before. */
function extraPort(raw: string, ports: number[]): number[] {
  const port = portNumber(raw);
  if (port === 0) throw new InvalidArgumentError('expected a port from 1 to 65535');
  return [...ports, port];
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
  if (raw.extraPort.length > 0 && raw.cloud !== 'reference') throw new UsageError('--extra-port is for the reference cloud', 'drop --extra-port, or --cloud');
  return { port: raw.port, host: raw.host, adminToken: raw.adminToken, bug: raw.bug, redisUrl, log, extraPorts: raw.extraPort };
}

export const target: Subcommand = (program: Command, done) => {
  program
    .command('target')
    .description('run the reference camera cloud (or --cloud mqtt) until SIGTERM or SIGINT; prints "listening <port>" when ready')
    .requiredOption('--port <n>', 'port to listen on; 0 picks a free one', portNumber)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--admin-token <token>', 'token guarding the admin calls').env('STAMPEDE_ADMIN_TOKEN'))
    .option('--bug <name>', `a leak-zoo bug to switch on: ${BUG_NAMES.join(', ')} (reference); ${MQTT_BUG_NAMES.join(', ')} (mqtt)`, 'none')
    .option('--redis <url>', 'Redis for the cache, or none', DEFAULT_REDIS)
    .addOption(new Option('--cloud <kind>', 'which camera cloud: the reference protocol, or MQTT devices with their own REST API').choices(CLOUDS).default('reference'))
    .option('--extra-port <n>', 'another port serving the same cloud (repeatable): Node accepts one connection per port per turn of its event loop, so a cloud facing thousands of reconnects needs several', extraPort, [] as number[])
    .option('--broker-port <n>', "with --cloud mqtt: the broker's port; 0 picks a free one", portNumber, 0)
    .action(async (raw: RawOptions) => {
      const log = (line: string) => process.stderr.write(`${printableLine(`stampede target: ${line}`)}\n`);
      const config = targetConfig(raw, log);
      let cloud: { stop(): Promise<void> };
      let brokerExited = new Promise<unknown>(() => undefined);
      let stopping = false;
      if (raw.cloud === 'mqtt') {
        const mqtt = await startMqttCloud({ ...config, apiPort: config.port, brokerPort: raw.brokerPort });
        process.stdout.write(`listening ${mqtt.apiPort}\nbroker ${mqtt.brokerPort}\n`);
        // A broker that dies leaves a cloud that cannot take events: end with it rather than limp on.
        brokerExited = mqtt.brokerExited.then(() => stopping || log('the broker exited; stopping'));
        cloud = mqtt;
      } else {
        const reference = await startCloud(config);
        process.stdout.write(`listening ${reference.port}\n`);
        cloud = reference;
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGTERM', stop).off('SIGINT', stop);
          resolve();
        };
        process.on('SIGTERM', stop).on('SIGINT', stop);
        void brokerExited.then(stop);
      });
      stopping = true;
      await cloud.stop();
      done(ExitCode.ok);
    });
};
