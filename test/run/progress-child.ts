/**
 * The real `bin/stampede` as a child the test can watch while it runs: wait for a line on stderr, signal it,
 * list the processes it started, and await its exit. Every child is killed in `stopAll` (call it in afterAll).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { STAMPEDE } from '../helpers/cli.ts';

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stderr line matching `pattern`; rejects after `timeoutMs` or if the CLI exits first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** `group`: the CLI leads a process group of its own, as a terminal's foreground job does, so `-pid` signals it all. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, options: { group?: boolean } = {}): RunningCli {
  const child = spawn(process.execPath, [STAMPEDE, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: options.group ?? false });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const wake of waiters) wake();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      running.delete(child);
      for (const wake of waiters) wake();
      resolve(code);
    }),
  );
  const waitForLine = (pattern: RegExp, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = stderr.split('\n').find((candidate) => pattern.test(candidate));
        if (line !== undefined) return finish(() => resolve(line));
        if (child.exitCode !== null || child.signalCode !== null) finish(() => reject(new Error(`the CLI exited before ${pattern}:\n${stderr.slice(-2000)}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no line ${pattern} within ${timeoutMs} ms:\n${stderr.slice(-2000)}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });
  return { child, stdout: () => stdout, stderr: () => stderr, waitForLine, exited };
}

/** Every process under `pid` (children, their children...), from one `ps` listing. */
export function descendantsOf(pid: number): number[] {
  const listing = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of listing.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills any CLI a failed test left running, and the processes it started. */
export function stopAll(): void {
  for (const child of running) {
    for (const pid of child.pid === undefined ? [] : descendantsOf(child.pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    child.kill('SIGKILL');
  }
}
