/**
 * The README's first step for your own backend: `init adapter` scaffolds an adapter and a world file outside this
 * repository (no stampede package, no ws installed there), and both run as they are against the embedded cloud.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';

describe('stampede init adapter', () => {
  it('scaffolds an adapter and a world file that pass against the embedded cloud, and never overwrites them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stampede-init-'));
    const made = await stampede(['init', 'adapter', 'acme', '--dir', dir]);
    expect(made.code, made.stderr).toBe(0);
    expect(statSync(join(dir, 'acme.world.yaml')).mode & 0o777).toBe(0o600);
    const again = await stampede(['init', 'adapter', 'acme', '--dir', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    const out = runDir('init-acme');
    const run = await stampede(['run', '--adapter', join(dir, 'acme.adapter.ts'), '--world', join(dir, 'acme.world.yaml'), '--duration', '20', '--seed', '4', '--out', out], { timeoutMs: 150_000 });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(readSummary(out).verdict).toBe('pass');
  }, 180_000);
});
