import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findGo, moduleVersionOf } from '../../src/services/go-toolchain.ts';
import { findOnPath } from '../../src/services/locate.ts';
import { provisionTool } from '../../src/services/provision.ts';
import { toxiproxyTool } from '../../src/services/tools.ts';

const go = await findGo();

/**
 * A real build into an empty cache (Go's own caches are kept, so this takes seconds once the
 * module is downloaded). Go is part of the project's setup, so its absence fails here rather than skips.
 */
describe('building toxiproxy-server into an empty cache', () => {
  it('has Go to build with', () => expect(go, 'Go is needed to build toxiproxy-server: install it (https://go.dev/dl)').toBeDefined());

  const cacheHome = mkdtempSync(join(tmpdir(), 'stampede-build-'));
  // PATH without any toxiproxy-server, so the lookup really comes up empty.
  const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => findOnPath('toxiproxy-server', { PATH: dir }) === undefined).join(delimiter);
  const env = { ...process.env, XDG_CACHE_HOME: cacheHome, PATH: path, TOXIPROXY_BIN: '' };

  afterAll(() => rmSync(cacheHome, { recursive: true, force: true }));

  it('builds once when two callers race, and both get the pinned binary', { timeout: 10 * 60_000 }, async () => {
    const [first, second] = await Promise.all([provisionTool(toxiproxyTool, { env }), provisionTool(toxiproxyTool, { env })]);
    expect([first.source, second.source].sort()).toEqual(['built', 'cache']);
    expect(first.path).toBe(join(cacheHome, 'stampede', 'bin', 'toxiproxy-server'));
    expect(second.path).toBe(first.path);
    expect(await moduleVersionOf(go!, first.path, toxiproxyTool.goModule)).toBe(toxiproxyTool.version);
    // No lock or half-built leftovers beside the binary.
    expect(readdirSync(join(cacheHome, 'stampede', 'bin'))).toEqual(['toxiproxy-server']);
    expect(await provisionTool(toxiproxyTool, { env })).toEqual({ path: first.path, source: 'cache' });
  });
});
