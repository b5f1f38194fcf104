/** Exit codes every subcommand uses; CI jobs and other tools rely on them. */
export const ExitCode = {
  ok: 0,
  /** A check failed: a leak, a breached gate, a conformance expectation. */
  failed: 1,
  /** Bad usage or configuration. */
  usage: 2,
  /** Could not run: a service or target unreachable, or too little observed to judge. */
  unavailable: 3,
  /** Stopped by Ctrl-C. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error meant for the user: one line saying what went wrong and what to do.
 * Anything else that escapes a subcommand is a bug in Stampede.
 */
export class StampedeError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** What the user should do about it, appended to the one line. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'StampedeError';
  }
}

export class UsageError extends StampedeError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

export class UnavailableError extends StampedeError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.unavailable, hint);
  }
}

/**
 * The run's records reached the judge out of time order (a fleet that fell behind): the oracle's answer, leaks as
 * much as passes, rests on an order it did not see, so the run has no verdict.
 */
export class OutOfOrderError extends UnavailableError {}

/** The single line printed for an error, hint included. */
export function describeError(error: unknown): string {
  if (error instanceof StampedeError) return error.hint ? `${error.message}: ${error.hint}` : error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `internal error: ${message} (please report this with the command you ran)`;
}

export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof StampedeError ? error.exitCode : ExitCode.unavailable;
}
