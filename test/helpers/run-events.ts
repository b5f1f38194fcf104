/**
 * Waiting on what a running `stampede run` does, for tests that break something at a chosen moment: a record
 * appearing in its journal, a process it started. Events, not sleeps: the test acts when the run got there.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProxyInfo, ToxiproxyClient } from '../../src/chaos/toxiproxy.ts';
import type { HistoryRecord } from '../../src/world/history.ts';

/**
 * Resolves with Toxiproxy's proxies once `found` holds for them, polling its API (bounded): what is in force there
 * now, for a test that must act while a fault is (a run's journal says so only later, in time order).
 */
export async function proxiesOnce(client: ToxiproxyClient, found: (proxies: ProxyInfo[]) => boolean, what: string): Promise<ProxyInfo[]> {
  for (let i = 0; i < 1200; i++) {
    const proxies = await client.listProxies();
    if (found(proxies)) return proxies;
    await sleep(100);
  }
  throw new Error(`never saw ${what}`);
}

/**
 * Resolves with the first record of the journal at `path` that `match` accepts, reading the file as the run writes
 * it; rejects if `over` (the run's end) settles first.
 */
export async function whenJournalHas(path: string, match: (record: HistoryRecord) => boolean, over: Promise<unknown>): Promise<HistoryRecord> {
  let ended = false;
  void over.finally(() => (ended = true)).catch(() => undefined);
  for (;;) {
    const finished = ended;
    if (existsSync(path)) {
      // Only whole lines: the last one may still be half written.
      const lines = readFileSync(path, 'utf8').split('\n').slice(1, -1);
      for (const line of lines) {
        const record = JSON.parse(line) as HistoryRecord;
        if (match(record)) return record;
      }
    }
    if (finished) throw new Error(`the run ended without writing the awaited record to ${path}`);
    await sleep(50);
  }
}

/** The processes whose parent is `pid`, with their command lines (Linux /proc). */
export function childrenOf(pid: number): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces or parentheses, so read after its last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      found.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ') });
    } catch {
      // gone while we looked
    }
  }
  return found;
}
