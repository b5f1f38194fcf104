import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError } from '../errors.ts';
import { registerChild, unregisterChild } from './child-registry.ts';
import { watchChild } from './child-watchdog.ts';

/** How to start a long-running helper process and know it is ready. */
export interface ChildOptions {
  /** Used in messages: "toxiproxy-server did not become ready ...". */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Resolves true once the child serves; called every `probeIntervalMs` until the deadline. */
  readonly ready: () => Promise<boolean>;
  readonly readyTimeoutMs?: number;
  readonly probeIntervalMs?: number;
  /** Time between SIGTERM and SIGKILL when stopping. */
  readonly graceMs?: number;
}

/** A started child: stop() always ends it, and is safe to call twice. */
export interface ManagedChild {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited, for whatever reason. */
  readonly exited: Promise<ChildExit>;
  /** The last few KiB the child printed, to explain a failure. */
  recentOutput(): string;
  stop(): Promise<ChildExit>;
}

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const OUTPUT_KEPT = 4096;

/** Starts a child, waits until `ready` says yes, and returns it; on failure nothing is left running. */
export async function startChild(options: ChildOptions): Promise<ManagedChild> {
  const child = spawn(options.command, [...options.args], {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a terminal's Ctrl-C (sent to the whole foreground group) reaches only Stampede,
    // which stops its children in order; the registry and the watchdog still make sure none outlives it.
    detached: true,
  });
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  if (spawned !== undefined || child.pid === undefined) {
    throw new UnavailableError(`could not start ${options.name} (${options.command}): ${spawned?.message ?? 'no pid'}`, 'check the binary and its permissions');
  }
  const managed = manage(child, child.pid, options);
  try {
    await waitReady(managed, options);
  } catch (error) {
    await managed.stop();
    throw error;
  }
  return managed;
}

function manage(child: ChildProcess, pid: number, options: ChildOptions): ManagedChild {
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
  };
  // Always drain both pipes: a child blocked on a full pipe looks hung.
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', () => undefined); // kill() on a dead child may emit this; exit is what we track
  registerChild(child);
  const stopWatchdog = watchChild(pid);
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      unregisterChild(child);
      stopWatchdog();
      resolve({ code, signal });
    });
  });
  const graceMs = options.graceMs ?? 3_000;
  let stopping: Promise<ChildExit> | undefined;
  const stop = (): Promise<ChildExit> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const graceful = await Promise.race([exited, sleep(graceMs, undefined, { ref: false })]);
      if (graceful !== undefined) return graceful;
      child.kill('SIGKILL');
      return exited;
    })();
    return stopping;
  };
  return { name: options.name, pid, exited, recentOutput: () => output, stop };
}

async function waitReady(child: ManagedChild, options: ChildOptions): Promise<void> {
  const timeoutMs = options.readyTimeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  let hasExited = false;
  void child.exited.then(() => (hasExited = true));
  while (Date.now() < deadline) {
    if (hasExited) {
      throw new UnavailableError(`${options.name} exited while starting`, lastLine(child.recentOutput()));
    }
    if (await options.ready().catch(() => false)) return;
    await sleep(options.probeIntervalMs ?? 100);
  }
  throw new UnavailableError(`${options.name} did not become ready within ${timeoutMs} ms`, lastLine(child.recentOutput()));
}

function lastLine(output: string): string {
  const line = output.trim().split('\n').at(-1);
  return line !== undefined && line.length > 0 ? `its last output: ${line.slice(0, 300)}` : 'it printed nothing';
}
