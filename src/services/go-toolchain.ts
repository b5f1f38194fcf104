import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findOnPath, isExecutableFile } from './locate.ts';
import type { ToolSpec } from './tools.ts';

const run = promisify(execFile);

/** Where Go's official installer puts it; CI shells do not always have it on PATH. */
const DEFAULT_GO = '/usr/local/go/bin/go';

/** The Go toolchain on this machine, if any. */
export interface GoToolchain {
  readonly path: string;
  /** As `go version` prints it, e.g. "go1.26.8". */
  readonly version: string;
}

/** Runs a short command and returns its stdout, or undefined when it fails or takes too long. */
export async function outputOf(file: string, args: readonly string[], timeoutMs = 10_000): Promise<string | undefined> {
  try {
    const { stdout } = await run(file, [...args], { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 });
    return stdout;
  } catch {
    return undefined;
  }
}

export async function findGo(env: NodeJS.ProcessEnv = process.env): Promise<GoToolchain | undefined> {
  const fromRoot = env.GOROOT ? join(env.GOROOT, 'bin', 'go') : undefined;
  const path = findOnPath('go', env) ?? [fromRoot, DEFAULT_GO].find((candidate) => candidate !== undefined && isExecutableFile(candidate));
  if (path === undefined) return undefined;
  const out = await outputOf(path, ['version']);
  const version = out?.match(/\bgo(\d+\.\d+(?:\.\d+)?)\b/)?.[0];
  return version === undefined ? undefined : { path, version };
}

/**
 * The version of `module` a Go binary was built from, read with `go version -m`. Both the main
 * module line (`mod`) and a dependency line (`dep`) count, since our builds go through a
 * throwaway module that requires the tool.
 */
export async function moduleVersionOf(go: GoToolchain, binary: string, module: string): Promise<string | undefined> {
  const out = await outputOf(go.path, ['version', '-m', binary]);
  for (const line of out?.split('\n') ?? []) {
    const [kind, path, version] = line.trim().split(/\s+/);
    if ((kind === 'mod' || kind === 'dep') && path === module && version !== undefined && version !== '(devel)') return version;
  }
  return undefined;
}

/**
 * A tool's version: from its Go module information when Go is here (builds from `go install`
 * print "git" as their own version), else whatever the binary says about itself.
 */
export async function toolVersion(tool: ToolSpec, binary: string, go: GoToolchain | undefined): Promise<string | undefined> {
  if (go !== undefined) {
    const fromModule = await moduleVersionOf(go, binary, tool.goModule);
    if (fromModule !== undefined) return fromModule;
  }
  const out = await outputOf(binary, tool.versionArgs);
  return out?.match(/\bv?\d+\.\d+\.\d+\b/)?.[0];
}
