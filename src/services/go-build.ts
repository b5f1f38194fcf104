import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import lockfile from 'proper-lockfile';
import { UnavailableError } from '../errors.ts';
import { isExecutableFile } from './locate.ts';
import type { GoToolchain } from './go-toolchain.ts';
import { goInstallLine, type ToolSpec } from './tools.ts';

const run = promisify(execFile);

/** A build takes a minute or two on a 2-core machine; past this something is wrong, not slow. */
const BUILD_TIMEOUT_MS = 30 * 60_000;
/** Another process may be building the same tool; wait for it rather than build it twice. */
const LOCK_WAIT_MS = BUILD_TIMEOUT_MS + 60_000;

/** The binary in the cache, and whether this call built it (false: another process did, while we waited). */
export interface BuildResult {
  readonly path: string;
  readonly built: boolean;
}

/**
 * Builds `tool` with Go into `cacheDir`. Go runs with this process's environment, so its module
 * and build caches stay where the user keeps them (a rebuild after clearing ours is quick). Holds a file lock for the
 * whole build, so parallel test workers or two CLIs build once and the others reuse the result.
 * The binary lands under a temporary name and is renamed into place, so nobody ever runs half a file.
 */
export async function buildWithGo(tool: ToolSpec, go: GoToolchain, cacheDir: string, log: (line: string) => void): Promise<BuildResult> {
  const target = join(cacheDir, tool.name);
  await mkdir(cacheDir, { recursive: true });
  let compromised: Error | undefined;
  const release = await lockfile.lock(cacheDir, {
    realpath: false,
    lockfilePath: join(cacheDir, `${tool.name}.lock`),
    stale: 60_000,
    update: 10_000,
    retries: { retries: Math.ceil(LOCK_WAIT_MS / 2_000), factor: 1, minTimeout: 2_000, maxTimeout: 2_000 },
    // The default throws from a timer, which would crash the process; we report it after the build.
    onCompromised: (error) => (compromised = error),
  });
  try {
    if (isExecutableFile(target)) return { path: target, built: false }; // built by whoever held the lock before us
    log(`building ${tool.name} ${tool.version} with ${go.version} (takes a minute) ...`);
    await buildInto(tool, go, cacheDir, target);
    if (compromised !== undefined) log(`warning: the build lock for ${tool.name} was lost (${compromised.message})`);
    log(`built ${target}`);
    return { path: target, built: true };
  } finally {
    await release().catch(() => undefined); // a lost lock has nothing left to release
  }
}

/**
 * `go install pkg@version` would be the obvious command, but it looks up the module's latest
 * version to check for deprecation and fails when the proxy cannot list versions (as some module
 * proxies do). Requiring the pinned version from a throwaway module builds the same code and skips
 * that lookup (`go get` only warns about deprecation).
 */
async function buildInto(tool: ToolSpec, go: GoToolchain, cacheDir: string, target: string): Promise<void> {
  const workDir = await mkdtemp(join(cacheDir, `.build-${tool.name}-`));
  const moduleDir = join(workDir, 'module');
  const binDir = join(workDir, 'bin');
  const env = {
    ...process.env,
    GOBIN: binDir,
    GOWORK: 'off',
    GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim(),
  };
  const goRun = async (args: string[]): Promise<void> => {
    try {
      await run(go.path, args, { cwd: moduleDir, env, timeout: BUILD_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      const lastLine = stderr.trim().split('\n').at(-1) ?? (error as Error).message;
      throw new UnavailableError(`building ${tool.name} failed at \`go ${args.join(' ')}\`: ${lastLine}`, `try \`${goInstallLine(tool)}\` by hand, or ${tool.otherWays}`);
    }
  };
  try {
    await mkdir(moduleDir, { recursive: true });
    await goRun(['mod', 'init', 'stampede-tool-build']);
    await goRun(['get', `${tool.goModule}@${tool.version}`]);
    await goRun(['install', tool.goPackage]);
    await rename(join(binDir, tool.builtName), target);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
