import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { conform } from './conform.ts';
import { doctor } from './doctor.ts';
import { printableLine, printableText } from '../protocol/printable.ts';
import { ExitCode, describeError, exitCodeOf } from '../errors.ts';
import { exportCommand } from './export.ts';
import { init } from './init.ts';
import { report } from './report.ts';
import { run } from './run.ts';
import { setup } from './setup.ts';
import { target } from './target.ts';
import { worker } from './worker.ts';
import { world } from './world.ts';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** A subcommand registers itself on the program; its action resolves to an exit code. */
export type Subcommand = (program: Command, done: (code: number) => void) => void;

const subcommands: Subcommand[] = [run, worker, world, report, exportCommand, target, conform, doctor, setup, init];

/** Runs the CLI and resolves to the process exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command('stampede')
    .description('Storm a multi-tenant device backend and prove no user is shown another user\'s data.')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (text) => process.stderr.write(printableText(text)) });
  for (const register of subcommands) register(program, (code) => (exitCode = code));
  try {
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
