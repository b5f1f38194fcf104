/**
 * Every child Stampede starts is listed here until it exits, so none outlives the process:
 * on a normal exit they are killed synchronously; on SIGINT/SIGTERM nobody else handles, they are
 * killed too and the signal is raised again so the process still dies of it. When someone else does
 * handle it (the run, which heals faults and removes its proxies before stopping Toxiproxy), the
 * children are theirs to stop in order: killing them here would pull Toxiproxy out from under the heal.
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
      // Someone else (the run orchestrator) owns shutdown, stops the children in order and exits in its own time;
      // the 'exit' handler above still kills whatever it leaves.
      if (process.listenerCount(signal) > 1) return;
      killAll('SIGTERM');
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
