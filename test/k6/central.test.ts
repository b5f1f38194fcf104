/**
 * The central verdict for pods started elsewhere: `stampede k6 export` a run, start `stampede run --k6-instances 0`
 * as its judge, then run the exported archive with plain `k6 run` in two processes split by execution segment, as
 * two k6-operator pods would. The judge's verdict must be the one a local `--engine k6` run gives on the same seed:
 * pass for a correct cloud, fail with the leaks counted once for a leaking one, and every record accounted for.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/report/summary.ts';
import { segments } from '../../src/run/engines/k6/segments.ts';
import { findK6 } from '../../src/services/k6.ts';
import { readSummary, STAMPEDE, stampede, type CliResult } from '../helpers/cli.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the judge and resolves with the target it names once its collector listens; `done` is its exit. */
function startJudge(args: string[]): { ready: Promise<string>; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [STAMPEDE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let announce: (target: string) => void = () => undefined;
  const ready = new Promise<string>((resolve) => (announce = resolve));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    const target = /STAMPEDE_TARGET=(\S+)/.exec(stderr)?.[1];
    if (target) announce(target);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    announce(''); // a judge that died before listening: the test fails on its exit, not on a hang
    resolve({ code, stdout, stderr });
  }));
  return { ready, done };
}

/** Exports, judges and runs the two "pods"; hands back the judge's exit and summary. */
async function centralRun(name: string, flags: string[]): Promise<{ judge: CliResult; summary: Summary; pods: { code: number; stderr: string }[] }> {
  const dir = mkdtempSync(join(tmpdir(), `stampede-k6-central-${name}-`));
  dirs.push(dir);
  const exportDir = join(dir, 'export');
  const port = await freePort();
  const exported = await stampede(['k6', 'export', ...flags.filter((flag, i) => !isBugFlag(flags, i)), '--out', exportDir, '--parallelism', '2',
    '--collector', `http://127.0.0.1:${port}/records`], { timeoutMs: 90_000 });
  expect(exported.code, exported.stderr).toBe(0);
  const out = join(dir, 'run');
  const judge = startJudge(['run', 'storm', '--engine', 'k6', '--k6-instances', '0', '--k6-export', exportDir,
    '--collector-listen', `127.0.0.1:${port}`, ...flags, '--out', out]);
  const target = await judge.ready;
  expect(target, 'the judge announces its target').not.toBe('');
  const k6 = findK6();
  expect(k6, 'k6 is provisioned by the global setup').toBeDefined();
  const env = {
    ...process.env,
    STAMPEDE_TARGET: target,
    STAMPEDE_COLLECTOR: `http://127.0.0.1:${port}/records`,
    STAMPEDE_COLLECTOR_TOKEN: readFileSync(join(exportDir, 'collector-token'), 'utf8'),
    STAMPEDE_RUN_KEY: 'central-test-run-key',
  };
  const pods = await Promise.all(segments(2).map(({ segment, sequence }) =>
    promisify(execFile)(k6!.path, ['run', '--no-usage-report', '--quiet', '--execution-segment', segment, '--execution-segment-sequence', sequence,
      join(exportDir, 'storm.tar')], { env, timeout: 120_000, maxBuffer: 32 * 1024 * 1024 })
      .then(() => ({ code: 0, stderr: '' }))
      .catch((error: { code?: number; stderr?: string }) => ({ code: error.code ?? 1, stderr: error.stderr ?? '' }))));
  const result = await judge.done;
  return { judge: result, summary: readSummary(out), pods };
}

function isBugFlag(flags: string[], i: number): boolean {
  return flags[i] === '--bug' || flags[i - 1] === '--bug';
}

function expectWholeShares(summary: Summary, cameras: number, users: number): void {
  const shares = summary.instances ?? [];
  expect(shares.map((share) => share.instance)).toEqual([1, 2]);
  expect(shares.reduce((sum, share) => sum + share.cameras, 0)).toBe(cameras);
  expect(shares.reduce((sum, share) => sum + share.users, 0)).toBe(users);
  for (const share of shares) {
    expect(share.cameras).toBeGreaterThan(0);
    expect(share.recordsReceived).toBeGreaterThan(0);
    expect(share.recordsSent).toBe(share.recordsReceived);
  }
}

describe('central verdict for an exported k6 run', () => {
  it('passes a correct cloud, as a local k6 run of the same seed does', async () => {
    const flags = ['--bug', 'none', '--cameras', '20', '--users', '10', '--duration', '20', '--seed', '11'];
    const { judge, summary, pods } = await centralRun('correct', flags);
    expect(judge.code, judge.stderr.slice(-3000)).toBe(0);
    for (const pod of pods) expect(pod.code, pod.stderr.slice(-2000)).toBe(0);
    expect(summary.verdict).toBe('pass');
    expect(summary.engine).toBe('k6');
    expect(summary.leaks.total).toBe(0);
    expect(summary.unknown).toBe(0);
    expectWholeShares(summary, 20, 10);
  }, 200_000);

  // The pods run the exported archive, whose options k6 froze at export time: a judged export must not abort at
  // the first plain leak, or the VUs it stops lose the records they still hold and the judge (rightly) refuses to
  // judge. github-2021 leaks whenever 60 users poll at once, so both runs leak and the comparison means something
  // (wyze-2024 needs its pool saturated, which a k6 fleet on a loaded machine sometimes never does).
  it('fails a leaking cloud once, with the leaks counted once, as a local two-instance k6 run of the same seed does', async () => {
    const flags = ['--bug', 'github-2021', '--cameras', '40', '--users', '60', '--duration', '20', '--seed', '542311785'];
    const central = await centralRun('github', flags);
    const localOut = join(mkdtempSync(join(tmpdir(), 'stampede-k6-local-')), 'run');
    dirs.push(localOut);
    const local = await stampede(['run', 'storm', '--engine', 'k6', '--k6-instances', '2', ...flags, '--out', localOut], { timeoutMs: 170_000 });
    const localSummary = readSummary(localOut);
    expect(local.code, local.stderr.slice(-3000)).toBe(1);
    expect(central.judge.code, central.judge.stderr.slice(-3000)).toBe(local.code);
    expect(central.summary.verdict).toBe(localSummary.verdict);
    const { leaks } = central.summary;
    expect(leaks.total).toBeGreaterThan(0);
    expect(leaks.bySurface.list).toBeGreaterThan(0); // another user's page of events
    expect(leaks.bySurface.cameras).toBe(0);
    // Counted once: each leaked item is one row of evidence, never one per pod that saw it.
    const items = new Set(central.summary.evidence.map((leak) => JSON.stringify(leak)));
    expect(items.size).toBe(central.summary.evidence.length);
    // The pods' own thresholds trip only for plain leaks they saw; the judge's verdict covers them all.
    const plain = (central.summary.instances ?? []).reduce((sum, share) => sum + (share.plainLeaks ?? 0), 0);
    expect(leaks.total).toBeGreaterThanOrEqual(plain);
    for (const [i, pod] of central.pods.entries()) expect(pod.code).toBe((central.summary.instances?.[i]?.plainLeaks ?? 0) > 0 ? 99 : 0);
    expectWholeShares(central.summary, 40, 60);
    expectWholeShares(localSummary, 40, 60);
    expect(central.summary.world).toEqual(localSummary.world);
  }, 400_000);
});
