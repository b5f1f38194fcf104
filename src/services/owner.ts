/**
 * Things a run leaves outside itself (proxies in a shared Toxiproxy, a private Redis's folder) carry the pid of the
 * process that made them, so a later run can tell a dead run's leftovers from those of a run still going: another
 * Stampede on the same machine, tests in parallel, must never lose its proxies to a sweep.
 */
import { readFileSync } from 'node:fs';

/** What goes into a leftover's name: `pid1234`. */
export function ownerMark(pid: number = process.pid): string {
  return `pid${pid}`;
}

/**
 * True only when process `pid` surely no longer runs: it does not exist, or it is a zombie (dead, not yet reaped).
 * A process we may not signal (EPERM) is alive; a reused pid looks alive too, which only leaves a leftover longer.
 */
export function ownerGone(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
