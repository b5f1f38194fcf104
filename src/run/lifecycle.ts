/**
 * A run's lifecycle as a list of steps, in the manner of Playwright's task runner: each step sets something up and
 * may hand back its teardown; teardowns run in reverse order whatever happened (failure, Ctrl-C, deadline), and a
 * failing teardown never stops the others from running.
 */

export type Teardown = () => Promise<void> | void;

export interface Step<C> {
  title: string;
  /** Sets up; returns how to undo it. Gets the abort signal so long waits end on Ctrl-C or the deadline. */
  setup(context: C, signal: AbortSignal): Promise<Teardown | void> | Teardown | void;
}

export interface LifecycleResult {
  /** The step that threw, if any, and its error; later steps were not set up. */
  failed?: { title: string; error: unknown };
  /** True when the signal fired before every step was set up. */
  aborted: boolean;
  /** Teardowns that threw: reported, never rethrown. */
  teardownErrors: { title: string; error: unknown }[];
}

/**
 * Sets the steps up in order, stopping at the first failure or abort, then tears down what was set up in reverse.
 * `body` runs between the two when every step was set up; its failure is reported like a step's.
 */
export async function runLifecycle<C>(
  context: C,
  steps: Step<C>[],
  signal: AbortSignal,
  body?: (context: C, signal: AbortSignal) => Promise<void>,
): Promise<LifecycleResult> {
  const teardowns: { title: string; teardown: Teardown }[] = [];
  const result: LifecycleResult = { aborted: false, teardownErrors: [] };
  let current = 'run';
  try {
    for (const step of steps) {
      if (signal.aborted) break;
      current = step.title;
      const teardown = await step.setup(context, signal);
      if (teardown) teardowns.push({ title: step.title, teardown });
    }
    current = 'run';
    if (!signal.aborted && body) await body(context, signal);
  } catch (error) {
    result.failed = { title: current, error };
  } finally {
    result.aborted = signal.aborted;
    for (const { title, teardown } of teardowns.reverse()) {
      try {
        await teardown();
      } catch (error) {
        result.teardownErrors.push({ title, error });
      }
    }
  }
  return result;
}
