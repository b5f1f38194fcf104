/**
 * Every child Stampede starts is listed here until it exits, so none outlives the process:
 * on a normal exit they are killed synchronously; on SIGINT/SIGTERM they are killed too, and when
 * nobody else handles the signal it is raised again so the process still dies of it.
 * A SIGKILLed parent runs no code at all; the watchdog in child-watchdog.ts covers that case.
 */

/** What the registry needs of a child: a way to kill it now. */
export interface Killable {
  kill(signal: NodeJS.Signals): void;
}

const live = new Set<Killable>();
let installed = false;

export function registerChild(child: Killable): void {
  install();
  live.add(child);
}

export function unregisterChild(child: Killable): void {
  live.delete(child);
}

/** How many registered children are still alive; for tests and diagnostics. */
export function liveChildCount(): number {
  return live.size;
}

function killAll(signal: NodeJS.Signals): void {
  for (const child of live) {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  // 'exit' handlers must be synchronous, so there is no grace period here: SIGKILL.
  process.on('exit', () => killAll('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      killAll('SIGTERM');
      // Someone else (the run orchestrator) owns shutdown and will exit in its own time.
      if (process.listenerCount(signal) > 1) return;
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
