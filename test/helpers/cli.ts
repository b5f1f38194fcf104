/**
 * Runs the real `bin/stampede` as a user would, with a deadline, and hands back its exit code and output.
 * Black-box: tests that use this see only what a user or a CI job sees.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Summary } from '../../src/report/summary.ts';

export const STAMPEDE = fileURLToPath(new URL('../../bin/stampede', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Called with everything printed on stderr so far, each time more arrives: to wait on what the run says. */
  onStderr?: (stderr: string) => void;
  /** Sees the process once spawned, e.g. to find its children. */
  onSpawn?: (child: ChildProcess) => void;
}

export function stampede(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [STAMPEDE, ...args], { ...options, env: { ...process.env, ...options.env } });
}

/** Runs any command to its end with a deadline (SIGKILL past it), handing back its exit code and output. */
export function runProcess(command: string, args: string[], options: CliOptions & { cwd?: string } = {}): Promise<CliResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fresh folder for a run's output. */
export function runDir(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'stampede-e2e-')), name);
}

export function readSummary(dir: string): Summary {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
}
