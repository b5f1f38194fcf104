import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { printableLine, printableText } from '../protocol/printable.ts';
import { ExitCode, describeError, exitCodeOf } from '../errors.ts';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** A subcommand registers itself on the program; its action resolves to an exit code. */
export type Subcommand = (program: Command, done: (code: number) => void) => void;

/**
 * Each subcommand's module, loaded only when it is the one asked for: a storm starts the run, its cloud and a worker
 * per core as processes of their own, and loading every command's dependencies in each cost seconds of CPU.
 */
const subcommands: Record<string, () => Promise<Subcommand>> = {
  run: async () => (await import('./run.ts')).run,
  worker: async () => (await import('./worker.ts')).worker,
  world: async () => (await import('./world.ts')).world,
  report: async () => (await import('./report.ts')).report,
  export: async () => (await import('./export.ts')).exportCommand,
  target: async () => (await import('./target.ts')).target,
  conform: async () => (await import('./conform.ts')).conform,
  doctor: async () => (await import('./doctor.ts')).doctor,
  setup: async () => (await import('./setup.ts')).setup,
  init: async () => (await import('./init.ts')).init,
};

/** The subcommands to register: the one named first on the command line, or all of them (help, a typo). */
function wanted(argv: readonly string[]): Array<() => Promise<Subcommand>> {
  const named = argv[2];
  return named !== undefined && Object.hasOwn(subcommands, named) ? [subcommands[named]!] : Object.values(subcommands);
}

/** Runs the CLI and resolves to the process exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command('stampede')
    .description('Storm a multi-tenant device backend and prove no user is shown another user\'s data.')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (text) => process.stderr.write(printableText(text)) });
  try {
    for (const load of wanted(argv)) (await load())(program, (code) => (exitCode = code));
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here too, with exit code 0.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    process.stderr.write(`${printableLine(`stampede: ${describeError(error)}`)}\n`);
    return exitCodeOf(error);
  }
}
