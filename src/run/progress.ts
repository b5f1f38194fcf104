/**
 * Progress while a run goes: a plain line every few seconds (the form CI logs want).
 */
import type { LiveRun, Watcher } from './live.ts';

const EVERY_MS = 5_000;

export function plainProgress(write: (line: string) => void): Watcher {
  return (live: LiveRun) => {
    const timer = setInterval(() => write(progressLine(live, Date.now())), EVERY_MS);
    timer.unref();
    return () => clearInterval(timer);
  };
}

export function progressLine(live: LiveRun, now: number): string {
  const checks = live.checks();
  const faults = live.activeFaults();
  return (
    `[${live.phase()}] ${Math.max(0, Math.round((live.endsAt - now) / 1000))}s left | cameras ${live.cameras.connected()}/${live.cameras.total} ` +
    `| users ${live.users.loggedIn()}/${live.users.total} | events ${live.count('acked')} acked | checked ${checks.checked} | leaks ${checks.leaks}` +
    (faults.length ? ` | faults ${faults.join(', ')}` : '')
  );
}
