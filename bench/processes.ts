/**
 * The processes a bench started, read from Linux /proc: what each is (a worker, the embedded cloud, a Toxiproxy
 * server, a private Redis), its RSS, its CPU time so far and, for Toxiproxy, its open files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';

/** 'other': tsx's esbuild service transpiling for this process, the children's watchdog shells. */
export type Kind = 'worker' | 'toxiproxy' | 'cloud' | 'redis' | 'other';

/** One process started by this one (Linux /proc): what it is, its RSS, its CPU time so far and its open files. */
export interface Child {
  pid: string;
  kind: Kind;
  rssBytes: number;
  cpuSeconds: number;
  fds: number;
}

const TICKS_PER_SECOND = 100;

/** A process's /proc stat fields after the command's closing parenthesis: state, parent, ... utime (12th), stime (13th), ... rss (22nd, pages). */
function statOf(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function cpuSecondsIn(fields: readonly string[]): number {
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds (user + system) process `pid` has used so far. */
export function cpuSecondsOf(pid: number): number {
  return cpuSecondsIn(statOf(pid));
}

function kindOf(command: string[]): Kind {
  // Redis retitles itself ("redis-server 127.0.0.1:PORT"), so the whole command line is searched.
  const line = command.join(' ');
  if (line.includes('toxiproxy-server')) return 'toxiproxy';
  if (line.includes('redis-server')) return 'redis'; // a private one; the cache behind a shared Redis is not counted
  if (command.includes('worker')) return 'worker';
  if (command.includes('target')) return 'cloud';
  return 'other';
}

/** Every process below this one (the cloud's Redis is a grandchild), read in one walk over /proc; Toxiproxy's open files only if `countFds`. */
export function children(countFds = true): Child[] {
  const stats = new Map<string, string[]>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      stats.set(pid, statOf(pid));
    } catch {
      // the process ended while we looked
    }
  }
  const below = (pid: string): boolean => {
    for (let parent = stats.get(pid)?.[1]; parent !== undefined && parent !== '0'; parent = stats.get(parent)?.[1]) {
      if (Number(parent) === process.pid) return true;
    }
    return false;
  };
  const found: Child[] = [];
  for (const [pid, fields] of stats) {
    if (!below(pid)) continue;
    try {
      const kind = kindOf(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
      const fds = countFds && kind === 'toxiproxy' ? openFiles(pid) : 0;
      found.push({ pid, kind, rssBytes: Number(fields[21]) * 4096, cpuSeconds: cpuSecondsIn(fields), fds });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/**
 * How many files process `pid` holds open. Linux 6.2 and later give the count as the size of /proc/PID/fd: listing
 * a directory of 14,000 entries every 250 ms made the storm bench's own sampler about 4% of the machine's CPU (perf,
 * 10,001 clients), most of it building a kernel cache entry per descriptor. Older kernels say 0 there: list it then.
 */
function openFiles(pid: string): number {
  return statSync(`/proc/${pid}/fd`).size || readdirSync(`/proc/${pid}/fd`).length;
}
