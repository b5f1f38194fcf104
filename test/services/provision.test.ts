import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { findGo, moduleVersionOf } from '../../src/services/go-toolchain.ts';
import { locateTool } from '../../src/services/locate.ts';
import { provisionTool } from '../../src/services/provision.ts';
import { toolCacheDir, toxiproxyTool } from '../../src/services/tools.ts';

const root = mkdtempSync(join(tmpdir(), 'stampede-locate-'));

/** An executable file at `path` (its content never runs: only the lookup is under test). */
function fakeBinary(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

describe('finding a tool: env var, then cache, then PATH', () => {
  const fromEnv = fakeBinary(join(root, 'env', 'my-toxiproxy'));
  const cacheHome = join(root, 'cache');
  const fromCache = fakeBinary(join(cacheHome, 'stampede', 'bin', 'toxiproxy-server'));
  const fromPath = fakeBinary(join(root, 'path', 'toxiproxy-server'));
  const everywhere = { XDG_CACHE_HOME: cacheHome, PATH: join(root, 'path'), TOXIPROXY_BIN: fromEnv };

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the cache under XDG_CACHE_HOME', () => {
    expect(toolCacheDir({ XDG_CACHE_HOME: cacheHome })).toBe(join(cacheHome, 'stampede', 'bin'));
  });

  it('prefers the env var over the cache and PATH', () => {
    expect(locateTool(toxiproxyTool, everywhere)).toEqual({ path: fromEnv, source: 'env' });
  });

  it('falls back to the cache, then PATH', () => {
    expect(locateTool(toxiproxyTool, { ...everywhere, TOXIPROXY_BIN: '' })).toEqual({ path: fromCache, source: 'cache' });
    expect(locateTool(toxiproxyTool, { PATH: join(root, 'path'), XDG_CACHE_HOME: join(root, 'empty') })).toEqual({ path: fromPath, source: 'path' });
  });

  it('finds nothing when nothing is there', () => {
    expect(locateTool(toxiproxyTool, { PATH: join(root, 'nowhere'), XDG_CACHE_HOME: join(root, 'empty') })).toBeUndefined();
  });

  it('reports an env var that names no executable instead of silently looking elsewhere', () => {
    const notExecutable = join(root, 'plain-file');
    writeFileSync(notExecutable, 'x');
    for (const value of [join(root, 'missing'), notExecutable, root]) {
      expect(() => locateTool(toxiproxyTool, { ...everywhere, TOXIPROXY_BIN: value })).toThrow(UsageError);
    }
  });

  it('provisions without building when the tool is found', async () => {
    await expect(provisionTool(toxiproxyTool, { env: everywhere })).resolves.toEqual({ path: fromEnv, source: 'env' });
  });
});

describe('the provisioned toxiproxy-server', () => {
  it('is the pinned version, read from its Go module information', async () => {
    const go = await findGo();
    const tool = locateTool(toxiproxyTool);
    expect(tool, 'global setup provisions it').toBeDefined();
    if (go === undefined) return; // a binary from elsewhere (brew, TOXIPROXY_BIN) carries no Go module info to read
    if (tool!.source === 'env' || tool!.source === 'cache') {
      expect(await moduleVersionOf(go, tool!.path, toxiproxyTool.goModule)).toBe(toxiproxyTool.version);
    }
  });
});
