import { UnavailableError } from '../errors.ts';
import { buildWithGo } from './go-build.ts';
import { findGo, toolVersion } from './go-toolchain.ts';
import { locateTool, type ToolSource } from './locate.ts';
import { goInstallLine, toolCacheDir, type ToolSpec } from './tools.ts';

/** A tool ready to run, and how we came by it. */
export interface ProvisionedTool {
  readonly path: string;
  /** 'built' when this call built it with Go. */
  readonly source: ToolSource | 'built';
}

export interface ProvisionOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines (a build can take minutes); silent by default. */
  readonly log?: (line: string) => void;
}

/**
 * Finds `tool` (env var, cache, PATH) or builds the pinned version with Go into the cache.
 * Without Go and without a binary it fails with one line naming every way to get one.
 */
export async function provisionTool(tool: ToolSpec, options: ProvisionOptions = {}): Promise<ProvisionedTool> {
  const env = options.env ?? process.env;
  const found = locateTool(tool, env);
  if (found !== undefined) return found;
  const go = await findGo(env);
  if (go === undefined) throw missingToolError(tool);
  const { path, built } = await buildWithGo(tool, go, toolCacheDir(env), options.log ?? (() => undefined));
  return { path, source: built ? 'built' : 'cache' };
}

/** The error for a tool that is neither here nor buildable, with every way to get it. */
export function missingToolError(tool: ToolSpec): UnavailableError {
  return new UnavailableError(
    `${tool.name} not found (looked at ${tool.envVar}, ${toolCacheDir()}, PATH) and Go is not installed to build it`,
    `install Go and run \`bin/stampede setup\`, or \`${goInstallLine(tool)}\` and set ${tool.envVar}, or ${tool.otherWays}`,
  );
}

/** The version of a provisioned tool, or undefined when it cannot tell. */
export async function provisionedVersion(tool: ToolSpec, path: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return toolVersion(tool, path, await findGo(env));
}
