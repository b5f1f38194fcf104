import { homedir } from 'node:os';
import { join } from 'node:path';

/** A binary Stampede runs but does not ship: where to look for it, and how to build it with Go. */
export interface ToolSpec {
  /** The name users know it by, also its file name in the cache and on PATH. */
  readonly name: string;
  /** An environment variable that, when set, names the binary to use (it wins over everything else). */
  readonly envVar: string;
  /** The Go module that carries the tool, and the version we pin. */
  readonly goModule: string;
  readonly version: string;
  /** The main package `go install` builds, and the file name Go gives the result. */
  readonly goPackage: string;
  readonly builtName: string;
  /** Arguments that make the binary print its own version (used when it carries no Go module info). */
  readonly versionArgs: readonly string[];
  /** Other ways to get the tool, for the one line shown when it is missing. */
  readonly otherWays: string;
}

/**
 * v2.13.0 is not on the Go module proxy this project's machines reach, so v2.12.0 is the newest
 * v2 we can build. `toxiproxy-server -version` prints "git" for such builds; the version is read
 * from the binary's module information instead (see go-toolchain.ts).
 */
export const toxiproxyTool: ToolSpec = {
  name: 'toxiproxy-server',
  envVar: 'TOXIPROXY_BIN',
  goModule: 'github.com/Shopify/toxiproxy/v2',
  version: 'v2.12.0',
  goPackage: 'github.com/Shopify/toxiproxy/v2/cmd/server',
  builtName: 'server',
  versionArgs: ['-version'],
  otherWays: '`brew install toxiproxy`, or the container image ghcr.io/shopify/toxiproxy (then set TOXIPROXY_URL)',
};

/** The `go install` line a user can run by hand. */
export function goInstallLine(tool: ToolSpec): string {
  return `go install ${tool.goPackage}@${tool.version}`;
}

/** Where built tools are kept between runs: ${XDG_CACHE_HOME:-~/.cache}/stampede/bin. */
export function toolCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.length > 0 ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(cacheHome, 'stampede', 'bin');
}
