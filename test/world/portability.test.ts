import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const WORLD = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/world');

/** Runtime (not `import type`) imports of a file, as written. */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
    if (!match[1]) found.push(match[2]!);
  }
  return found;
}

/** Every external module a file reaches through its runtime imports, following relative ones. */
function externalsReachedFrom(entry: string): Set<string> {
  const externals = new Set<string>();
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else externals.add(specifier);
    }
  }
  return externals;
}

describe('the world is pure: no Node built-ins, so it loads in any JavaScript runtime', () => {
  it('builds a world with faker as its only external import, and no Node built-ins', () => {
    expect([...externalsReachedFrom(resolve(WORLD, 'build.ts'))]).toEqual(['@faker-js/faker']);
  });

  it('adds only zod for validation', () => {
    expect([...externalsReachedFrom(resolve(WORLD, 'generate.ts'))].sort()).toEqual(['@faker-js/faker', 'zod']);
  });
});
