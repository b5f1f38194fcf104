/**
 * `stampede k6 export --out DIR [SCENARIO]`: the storm's fleet packaged for k6-operator (see
 * src/run/engines/k6/export.ts). The scenario flags are `stampede run`'s, so an export and a local run of the same
 * seed storm the same world. Exit 0 written, 2 bad usage, 3 k6 missing or failing.
 */
import type { Command } from 'commander';
import { scenarios } from '../../scenarios/index.ts';
import { resolveRunConfig } from '../run/config.ts';
import { exportK6 } from '../run/engines/k6/export.ts';
import { printableLine, printableText } from '../protocol/printable.ts';
import { parseUrlFlag } from '../protocol/url-flag.ts';
import { ExitCode, UsageError } from './exit.ts';
import type { Subcommand } from './main.ts';

interface RawOptions {
  out?: string;
  seed?: string;
  cameras?: string;
  users?: string;
  duration?: string;
  target: string;
  collector?: string;
  parallelism: string;
  name: string;
}

/** Kubernetes object names: DNS-1123 labels. */
const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const k6: Subcommand = (program: Command, done) => {
  const k6Command = program.command('k6').description('the k6 engine\'s tools');
  k6Command
    .command('export')
    .description('write a k6 archive, a k6-operator TestRun and its settings for running the storm\'s fleet in Kubernetes')
    .argument('[scenario]', `one of ${[...scenarios.keys()].join(', ')}`, 'storm')
    .requiredOption('--out <dir>', 'where to write storm.tar, testrun.json, plan.json, world-seed.json and settings.env')
    .option('--seed <n>', 'world seed (default: a fresh one, printed)')
    .option('--cameras <n>', 'simulated cameras (default: the scenario\'s)')
    .option('--users <n>', 'simulated users (default: the scenario\'s)')
    .option('--duration <seconds>', 'run length; every phase scales with it')
    .option('--target <url>', 'the target as the k6 pods reach it', 'http://127.0.0.1:8080')
    .option('--collector <url>', 'the observation collector as the pods reach it (default: none, the pods judge alone)')
    .option('--parallelism <n>', 'k6 pods splitting the fleet by execution segment', '2')
    .option('--name <name>', 'name of the TestRun, its ConfigMap and its Secret', 'stampede-storm')
    .action(async (scenario: string, raw: RawOptions) => {
      const config = resolveRunConfig({ scenario, seed: raw.seed, cameras: raw.cameras, users: raw.users, duration: raw.duration, out: raw.out }, scenarios, new Date());
      const parallelism = Number(raw.parallelism);
      if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 1000) throw new UsageError('--parallelism must be a whole number from 1 to 1000');
      if (!K8S_NAME.test(raw.name)) throw new UsageError(`--name ${raw.name} is not a Kubernetes name`, 'use lower-case letters, digits and dashes');
      const target = httpUrl('--target', raw.target, 'http://my-cloud:8080');
      const collector = raw.collector === undefined ? '' : httpUrl('--collector', raw.collector, 'http://stampede-collector:9000');
      const log = (line: string) => process.stderr.write(`${printableLine(line)}\n`);
      const files = await exportK6({ config, outDir: config.outDir, target, collector, parallelism, name: raw.name }, log);
      process.stdout.write(printableText(`k6 export of ${config.scenario.name} (seed ${config.seed}, ${config.cameras} cameras, ${config.users} users, ` +
        `${config.durationMs / 1000} s, parallelism ${parallelism}):\n${Object.values(files).map((file) => `  ${file}`).join('\n')}\n`));
      if (collector) {
        // The judge must storm the same world on the same clock: the same scenario flags, and this folder.
        const port = new URL(collector).port || (collector.startsWith('https:') ? '443' : '80');
        process.stdout.write(printableText(`judge the pods centrally (start it first, then the TestRun): bin/stampede run ${config.scenario.name} --engine k6 ` +
          `--k6-instances 0 --k6-export ${config.outDir} --collector-listen 0.0.0.0:${port} --allow-remote --seed ${config.seed} ` +
          `--cameras ${config.cameras} --users ${config.users} --duration ${config.durationMs / 1000}\n`));
      }
      done(ExitCode.ok);
    });
};

/** A URL the pods will reach: checked as every URL flag is (no credentials, whitespace or control characters). */
function httpUrl(flag: string, value: string, example: string): string {
  parseUrlFlag(flag, value, example);
  return value.replace(/\/+$/, '');
}
