/**
 * `--adapter`, `--target NAME=URL`, `--adapter-option` and `--cloud` through the real CLI: bad input is one line
 * (exit 2) before anything starts; an adapter file outside the repository imports `stampede/adapter`; a run whose
 * adapter has no world hooks schedules no ownership changes and says so; option values reach workers through
 * their environment, never their argv; --admin-token reaches the world hooks as ctx.options.adminToken.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';

const REFERENCE = fileURLToPath(new URL('../../src/adapter/reference/index.ts', import.meta.url));

/** A folder outside the repository, where no `stampede` package can be found by Node's own resolution. */
function outside(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-adapter-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The reference adapter's user and device hooks, without any world control. */
const WORLDLESS = `import { defineAdapter } from 'stampede/adapter';
import reference from ${JSON.stringify(REFERENCE)};
export default defineAdapter({ name: 'worldless', endpoints: ['target'], users: reference.users, devices: reference.devices });
`;

/** The one line a usage error prints, and that it is the only one. */
function oneLine(result: { code: number | null; stderr: string; stdout: string }): string {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('stampede run --adapter', () => {
  it('refuses a missing adapter file, a module without a default adapter, a malformed option and an unknown cloud in one line each', async () => {
    const dir = outside({ 'none.adapter.ts': 'export const x = 1;\n', 'half.adapter.ts': "export default { name: 'half', endpoints: ['api'], users: {} };\n" });
    const [missing, noDefault, half, option, cloud] = await Promise.all([
      stampede(['run', '--adapter', join(dir, 'nope.adapter.ts'), '--duration', '10']),
      stampede(['run', '--adapter', join(dir, 'none.adapter.ts'), '--target', 'http://127.0.0.1:9', '--duration', '10']),
      stampede(['run', '--adapter', join(dir, 'half.adapter.ts'), '--target', 'http://127.0.0.1:9', '--duration', '10']),
      stampede(['run', '--adapter-option', 'novalue', '--duration', '10']),
      stampede(['run', '--cloud', 'nimbus', '--duration', '10']),
    ]);
    expect(oneLine(missing)).toMatch(/^stampede: --adapter .*nope\.adapter\.ts: no such file: /);
    expect(oneLine(noDefault)).toMatch(/^stampede: --adapter .*none\.adapter\.ts: has no default export: /);
    expect(oneLine(half)).toMatch(/^stampede: --adapter .*half\.adapter\.ts: users\.login must be a function: /);
    expect(oneLine(option)).toMatch(/^stampede: --adapter-option novalue is not KEY=VALUE/);
    expect(oneLine(cloud)).toMatch(/^stampede: unknown --cloud nimbus: pick one of reference, mqtt/);
  });

  it('refuses --target NAME=URL naming an endpoint the adapter does not have, in one line', async () => {
    const result = await stampede(['run', '--target', 'broker=mqtt://127.0.0.1:1883', '--admin-token', 't', '--duration', '10']);
    expect(oneLine(result)).toMatch(/^stampede: --target broker=\.\.\.: adapter reference has no endpoint broker: its endpoints are target$/);
  });

  it('loads an adapter file outside the repository that imports stampede/adapter (and wants --world for a backend it cannot seed)', async () => {
    const dir = outside({ 'worldless.adapter.ts': WORLDLESS });
    const result = await stampede(['run', '--adapter', join(dir, 'worldless.adapter.ts'), '--target', 'http://127.0.0.1:45678', '--duration', '10']);
    // Loaded and checked: the refusal names the adapter by the name its file gives it.
    expect(oneLine(result)).toMatch(/^stampede: adapter worldless cannot seed the world \(it has no world\.seed\): give .* --world FILE$/);
  });

  it('hands --admin-token to a file adapter\'s world hooks as ctx.options.adminToken, ahead of --adapter-option adminToken', async () => {
    // The health hook reports what it was given by failing with a message that names no secret.
    const dir = outside({
      'tokened.adapter.ts': `import { defineAdapter } from 'stampede/adapter';
import reference from ${JSON.stringify(REFERENCE)};
export default defineAdapter({
  name: 'tokened', endpoints: ['target'], users: reference.users, devices: reference.devices,
  world: {
    async health(ctx) {
      const token = ctx.options.adminToken;
      throw new Error(token === process.env.EXPECTED_TOKEN ? 'health saw the admin token' : 'health saw no admin token, or another');
    },
    async seed() {},
  },
});
`,
    });
    const secret = `admin-${Math.random().toString(36).slice(2)}`;
    const result = await stampede(
      ['run', '--adapter', join(dir, 'tokened.adapter.ts'), '--target', 'http://127.0.0.1:45679', '--admin-token', secret,
        '--adapter-option', 'adminToken=not-the-admin-token', '--duration', '10', '--out', runDir('tokened')],
      { timeoutMs: 120_000, env: { EXPECTED_TOKEN: secret } },
    );
    expect(result.code, result.stderr.slice(-2000)).toBe(3);
    expect(result.stderr).toMatch(/checking the target's health through adapter tokened failed: health saw the admin token/);
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('runs an adapter without world hooks with no ownership changes, says so, and gives workers its options by environment only', async () => {
    const dir = outside({ 'worldless.adapter.ts': WORLDLESS });
    const out = runDir('worldless');
    const secret = `opt-${Math.random().toString(36).slice(2)}-value`;
    const seen: { argv?: string; environ?: string } = {};
    const result = await stampede(
      ['run', 'storm', '--adapter', join(dir, 'worldless.adapter.ts'), '--adapter-option', `apiKey=${secret}`,
        '--cameras', '12', '--users', '6', '--duration', '12', '--seed', '5', '--workers', '1', '--out', out],
      {
        timeoutMs: 240_000,
        onStderr: (stderr) => {
          const pid = /worker ready \(pid (\d+)\)/.exec(stderr)?.[1];
          if (!pid || seen.argv !== undefined) return;
          // Read while the worker runs: what any process list on this machine shows of it.
          seen.argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
          seen.environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
        },
      },
    );
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    expect(seen.argv).toContain(' worker ');
    expect(seen.argv).toContain('--adapter');
    expect(seen.argv).not.toContain(secret);
    expect(seen.environ).toContain(secret);
    const summary = readSummary(out);
    expect(summary.adapter).toBe('worldless');
    expect(summary.notes).toEqual(['no ownership changes: adapter worldless has no world control']);
    expect(result.stdout).toContain('note: no ownership changes: adapter worldless has no world control');
    const journal = readFileSync(join(out, 'journal.ndjson'), 'utf8');
    expect(journal).not.toMatch(/"type":"access"/);
    expect(JSON.parse(journal.split('\n')[0]!).world.changes).toEqual([]);
    for (const file of readdirSync(out)) expect(readFileSync(join(out, file), 'utf8'), file).not.toContain(secret);
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('tells whoever starts --workers 0 workers which adapter options they need, never the values', async () => {
    const dir = outside({ 'worldless.adapter.ts': WORLDLESS });
    const secret = `opt-${Math.random().toString(36).slice(2)}-value`;
    let child: ChildProcess | undefined;
    let hint = '';
    const result = await stampede(
      ['run', 'storm', '--adapter', join(dir, 'worldless.adapter.ts'), '--adapter-option', `apiKey=${secret}`, '--cameras', '4', '--users', '2',
        '--duration', '10', '--workers', '0', '--collector-listen', '127.0.0.1:0', '--expect-workers', '1', '--out', runDir('hint')],
      {
        timeoutMs: 120_000,
        env: { STAMPEDE_COLLECTOR_TOKEN: 'a-token-for-this-test-only' },
        onSpawn: (spawned) => { child = spawned; },
        onStderr: (stderr) => {
          if (hint || !stderr.includes('--index I')) return;
          hint = stderr;
          // Nobody will start the worker: Ctrl-C ends the wait.
          child?.kill('SIGINT');
        },
      },
    );
    expect(hint).toMatch(/STAMPEDE_ADAPTER_OPTIONS set to this run's --adapter-option values as one JSON object \(keys apiKey,/);
    expect(result.code).toBe(130);
    expect(result.stdout + result.stderr).not.toContain(secret);
  });
});
