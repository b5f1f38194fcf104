import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Node cannot ask Linux to kill a child when its parent dies (prctl PR_SET_PDEATHSIG), and a
 * SIGKILLed parent runs no exit handler. So each child gets a tiny detached shell that polls once
 * a second and, once the parent is gone, stops the child (SIGTERM, then SIGKILL after 2 s).
 * Limits: up to ~3 s of orphan life; a parent that is a zombie nobody reaps still looks alive.
 */
const SCRIPT = `
parent=$1; child=$2
while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
if kill -0 "$child" 2>/dev/null; then
  kill -TERM "$child" 2>/dev/null; sleep 2; kill -KILL "$child" 2>/dev/null
fi
`;

const SHELL = '/bin/sh';

/** Stops a watchdog once its child is gone; a no-op when none could be started. */
export type StopWatchdog = () => void;

export function watchChild(childPid: number): StopWatchdog {
  if (!existsSync(SHELL)) return () => undefined; // e.g. Windows: the exit handlers are all we have
  const watchdog = spawn(SHELL, ['-c', SCRIPT, 'stampede-watchdog', String(process.pid), String(childPid)], {
    detached: true, // its own process group, so it outlives us and can be killed with its `sleep`
    stdio: 'ignore',
  });
  watchdog.on('error', () => undefined); // a watchdog that cannot start must not take the run down
  watchdog.unref();
  return () => {
    if (watchdog.pid === undefined || watchdog.exitCode !== null) return;
    try {
      process.kill(-watchdog.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
}
