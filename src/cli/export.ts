/**
 * `stampede export kubernetes`: writes what a cluster needs to run the workers of one run as an Indexed Job (the
 * Job, the Secret, the worker image's Dockerfile) and the judge's command, which is printed without its token.
 * Exit 0 written, 2 bad usage.
 */
import type { Command } from 'commander';
import { scenarios } from '../../scenarios/index.ts';
import { BUG_NAMES } from '../../simulators/cloud/bugs/index.ts';
import { DEFAULT_IMAGE, resolveExportPlan, type ExportOptions } from '../export/kubernetes/plan.ts';
import { writeKubernetesExport } from '../export/kubernetes/write.ts';
import { ExitCode } from '../errors.ts';
import { collect } from './collect.ts';
import type { Subcommand } from './main.ts';
import { shellWord } from '../export/kubernetes/shell.ts';
import { join } from 'node:path';

export const exportCommand: Subcommand = (program: Command, done) => {
  const command = program.command('export').description('write what another system needs to run Stampede\'s workers');
  command
    .command('kubernetes')
    .description('write an Indexed Job of workers, its Secret, the worker image\'s Dockerfile and the judge\'s command')
    .argument('[scenario]', `one of ${[...scenarios.keys()].join(', ')}`, 'storm')
    .option('--out <dir>', 'the folder to write into (created if missing)')
    .option('--parallelism <n>', 'worker pods; pod i simulates cameras and users k with k % n = i')
    .option('--image <name>', 'the worker image the pods run', DEFAULT_IMAGE)
    .option('--target <url>', 'what the pods storm: the judge\'s Toxiproxy client proxy as the pods reach it')
    .option('--collector <url>', 'the judge\'s collector as the pods reach it, e.g. http://stampede-judge:7070')
    .option('--collector-listen <host:port>', 'where the judge\'s collector listens (default: 0.0.0.0 and the --collector port)')
    .option('--judge-target <url>', 'the real backend behind the judge\'s Toxiproxy (default: the embedded reference cloud)')
    .option('--seed <n>', 'world and schedule seed (default: a fresh one, written into the Secret)')
    .option('--cameras <n>', 'simulated cameras across all pods (default: the scenario\'s)')
    .option('--users <n>', 'simulated users across all pods (default: the scenario\'s)')
    .option('--duration <seconds>', 'run length; every phase scales with it')
    .option('--bug <name>', `embedded cloud only: a leak-zoo fault for the judge's cloud (${BUG_NAMES.join(', ')})`)
    .option('--gate <expr>', 'a threshold for the judge besides zero leaks, repeatable', collect)
    .option('--allow-remote', 'allow addresses that are not on this machine (a cluster never is)', false)
    .action(async (scenario: string, raw: Omit<ExportOptions, 'scenario'>) => {
      const plan = resolveExportPlan({ ...raw, scenario }, scenarios);
      const result = await writeKubernetesExport(plan);
      const out = shellWord(plan.outDir);
      process.stdout.write(
        [
          `stampede: wrote ${plan.outDir}: ${result.files.join(', ')}`,
          `  ${plan.parallelism} pods of ${plan.image}, 1 CPU and ${result.memory} each; seed ${plan.seed}`,
          `build the worker image (from the project root):  docker build -f ${shellWord(join(plan.outDir, 'Dockerfile'))} -t ${shellWord(plan.image)} .`,
          `start the judge beside Toxiproxy (or run ${shellWord(join(plan.outDir, 'judge.sh'))}):`,
          `  ${plan.judgeTarget ? 'STAMPEDE_ADMIN_TOKEN=<admin token> ' : ''}${result.judgeCommand}`,
          `then start the workers:  kubectl apply -f ${out}/secret.yaml -f ${out}/job.yaml`,
          '',
        ].join('\n'),
      );
      done(ExitCode.ok);
    });
};

