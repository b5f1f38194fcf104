/**
 * `stampede export kubernetes`: writes what a cluster needs to run the workers of one run as an Indexed Job (the
 * Job, the Secret, the worker image's Dockerfile with the user's adapter and world files) and the judge's command,
 * which is printed without its token or any option value. Exit 0 written, 2 bad usage.
 */
import type { Command } from 'commander';
import { scenarios } from '../../scenarios/index.ts';
import { loadAdapter } from '../adapter/load.ts';
import { keepSecret } from '../protocol/redact.ts';
import { cloudKind, CLOUD_NAMES } from '../run/clouds.ts';
import { DEFAULT_IMAGE, resolveExportPlan, type ExportOptions, type ExportPlan } from '../export/kubernetes/plan.ts';
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
    .option('--adapter <file>', 'the adapter the pods and the judge talk to the backend through: a TypeScript file (copied into the image with the ' +
      'files it imports from its folder), or reference (the default)')
    .option('--adapter-option <key=value>', 'a value for the adapter\'s hooks, repeatable: into the Secret and the judge\'s options file, never into args', collect)
    .option('--world <file>', 'users and cameras that exist on the backend (copied into the image); its ${NAME} secrets are read from this environment into the Secret')
    .option('--target <url>', 'what the pods storm: the judge\'s Toxiproxy proxy as the pods reach it; URL, or NAME=URL for each adapter endpoint, repeatable', collect)
    .option('--collector <url>', 'the judge\'s collector as the pods reach it, e.g. http://stampede-judge:7070')
    .option('--collector-listen <host:port>', 'where the judge\'s collector listens (default: 0.0.0.0 and the --collector port)')
    .option('--judge-target <url>', 'the real backend behind the judge\'s Toxiproxy: URL, or NAME=URL for each adapter endpoint, repeatable (default: the embedded cloud)', collect)
    .option('--cloud <name>', `without --judge-target: the embedded cloud the judge starts (${CLOUD_NAMES.join(', ')})`)
    .option('--seed <n>', 'world and schedule seed (default: a fresh one, written into the Secret)')
    .option('--cameras <n>', 'simulated cameras across all pods (default: the scenario\'s)')
    .option('--users <n>', 'simulated users across all pods (default: the scenario\'s)')
    .option('--duration <seconds>', 'run length; every phase scales with it')
    .option('--bug <name>', `embedded cloud only: a leak-zoo fault for the judge's cloud (${cloudKind('reference').bugs.join(', ')}; see --cloud)`)
    .option('--gate <expr>', 'a threshold for the judge besides zero leaks, repeatable', collect)
    .option('--allow-remote', 'allow addresses that are not on this machine (a cluster never is)', false)
    .action(async (scenario: string, raw: Omit<ExportOptions, 'scenario'>) => {
      // Known before the adapter file runs, so nothing it prints while loading can show them.
      for (const option of raw.adapterOption ?? []) if (option.includes('=')) keepSecret(option.slice(option.indexOf('=') + 1));
      // As `run` picks it: --adapter, else the embedded cloud's own adapter (the pods need it as a file too).
      const adapter = await loadAdapter(raw.adapter ?? (raw.judgeTarget ? 'reference' : cloudKind(raw.cloud ?? 'reference').adapter));
      const plan = resolveExportPlan({ ...raw, scenario }, scenarios, adapter);
      const result = await writeKubernetesExport(plan);
      const out = shellWord(plan.outDir);
      process.stdout.write(
        [
          `stampede: wrote ${plan.outDir}: ${result.files.join(', ')}`,
          `  ${plan.parallelism} pods of ${plan.image}, 1 CPU and ${result.memory} each; seed ${plan.seed}`,
          `build the worker image (from the project root):  docker build -f ${shellWord(join(plan.outDir, 'Dockerfile'))} -t ${shellWord(plan.image)} .`,
          `start the judge beside Toxiproxy (or run ${shellWord(join(plan.outDir, 'judge.sh'))}):`,
          `  ${judgeEnv(plan)}${result.judgeCommand}`,
          `then start the workers:  kubectl apply -f ${out}/secret.yaml -f ${out}/job.yaml`,
          '',
        ].join('\n'),
      );
      done(ExitCode.ok);
    });
};

/** The variables the judge's command needs from whoever runs it, values left for them to fill in. */
function judgeEnv(plan: ExportPlan): string {
  const admin = plan.judgeTargets && plan.adapter.spec === 'reference' ? ['STAMPEDE_ADMIN_TOKEN=<admin token>'] : [];
  return [...admin, ...Object.keys(plan.worldSecrets).map((name) => `${name}=<secret>`), ''].join(' ');
}
