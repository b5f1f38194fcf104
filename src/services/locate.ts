import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { toolCacheDir, type ToolSpec } from './tools.ts';

/** Where a tool was found; the order of the union is the order of the search. */
export type ToolSource = 'env' | 'cache' | 'path';

/** A tool binary found on this machine. */
export interface LocatedTool {
  readonly path: string;
  readonly source: ToolSource;
}

/** True for an existing regular file we may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable called `name` on the PATH of `env`, if any. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir.length === 0 || !isAbsolute(dir)) continue; // a relative PATH entry would depend on the cwd
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds a tool in this order: its environment variable, the Stampede cache folder, then PATH.
 * A variable that names no executable is a configuration mistake, reported rather than skipped,
 * so a typo never silently picks up some other binary.
 */
export function locateTool(tool: ToolSpec, env: NodeJS.ProcessEnv = process.env): LocatedTool | undefined {
  const fromEnv = env[tool.envVar];
  if (fromEnv !== undefined && fromEnv.length > 0) {
    const path = resolve(fromEnv);
    if (!isExecutableFile(path)) {
      throw new UsageError(`${tool.envVar}=${fromEnv} is not an executable file`, `point it at ${tool.name} or unset it`);
    }
    return { path, source: 'env' };
  }
  const cached = join(toolCacheDir(env), tool.name);
  if (isExecutableFile(cached)) return { path: cached, source: 'cache' };
  const onPath = findOnPath(tool.name, env);
  return onPath === undefined ? undefined : { path: onPath, source: 'path' };
}
