/** Runs the real `bin/stampede` binary: the reference target as a child process, and conform to completion. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const STAMPEDE = fileURLToPath(new URL('../../bin/stampede', import.meta.url));

export interface RunningTarget {
  url: string;
  stop(): Promise<void>;
}

/** Starts `stampede target` and resolves once it printed `listening <port>`; rejects with its output otherwise. */
export async function startReferenceTarget(args: string[], timeoutMs = 30_000): Promise<RunningTarget> {
  const child = spawn(process.execPath, [STAMPEDE, 'target', '--port', '0', ...args], { stdio: 'pipe' });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await once(child, 'exit');
    clearTimeout(killer);
  };
  try {
    const port = await firstLine(child, timeoutMs);
    return { url: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function firstLine(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`stampede target ${why}; stdout: ${out.trim()} stderr: ${err.trim()}`));
    };
    const timer = setTimeout(() => fail(`printed no "listening <port>" within ${timeoutMs} ms`), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^listening (\d+)\n/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => fail(`exited with code ${code}`));
  });
}

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `stampede <args>` to completion, killed if it outlives `timeoutMs`. */
export async function runStampede(args: string[], env: Record<string, string> = {}, timeoutMs = 240_000): Promise<CliOutcome> {
  const child = spawn(process.execPath, [STAMPEDE, ...args], { stdio: 'pipe', env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(killer);
  return { code, stdout, stderr };
}
