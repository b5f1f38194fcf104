/**
 * What a run killed outright leaves behind, both ends of it: at the start, sweep the leftovers of earlier runs whose
 * process is gone and name each one swept; while a run goes, keep a list of what it would leave if it quit now, for
 * the one line a second Ctrl-C prints on its way out.
 */
import { sweepRunProxies } from '../chaos/run-proxies.ts';
import type { ToxiproxyClient } from '../chaos/toxiproxy.ts';
import { isLoopbackHost } from '../protocol/loopback.ts';
import { sweepRedisFolders } from '../services/redis.ts';

/**
 * Removes dead runs' proxies from `toxiproxy` and dead runs' private Redis folders, one log line per kind swept.
 * Proxies are only swept on a Toxiproxy on this machine: pids name processes here, not on another host.
 */
export async function sweepLeftovers(toxiproxy: ToxiproxyClient, log: (line: string) => void): Promise<void> {
  if (isLoopbackHost(new URL(toxiproxy.url).hostname)) {
    const { removed, failed } = await sweepRunProxies(toxiproxy);
    if (removed.length > 0) log(`stampede: swept ${count(removed.length, 'proxy', 'proxies')} left by an earlier run in Toxiproxy at ${toxiproxy.url} (${removed.join(', ')})`);
    for (const { name, error } of failed) log(`warning: could not sweep proxy ${name} left by an earlier run: ${(error as Error).message}`);
  }
  const folders = await sweepRedisFolders();
  if (folders.length > 0) log(`stampede: swept ${count(folders.length, 'private Redis folder', 'private Redis folders')} left by an earlier run (${folders.join(', ')})`);
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const held = new Map<symbol, string>();

/** Notes something this run would leave if it quit now; the returned function forgets it once cleaned up. */
export function holdLeftover(what: string): () => void {
  const key = Symbol(what);
  held.set(key, what);
  return () => void held.delete(key);
}

/** What this run would leave behind if it quit now, one phrase each. */
export function heldLeftovers(): string[] {
  return [...held.values()];
}
