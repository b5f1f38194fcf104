/**
 * `stampede report` through the real CLI on real runs: a run SIGKILLed half-way gets an honest report (the leaks
 * found so far, or no verdict, never a pass), and a complete run's report agrees with what the run said live.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'junit2json';
import { afterAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/report/summary.ts';
import { readSummary, runDir, STAMPEDE, stampede } from '../helpers/cli.ts';

/** One worker: what the report says does not depend on how many drove the fleet. */
const RUN = ['run', 'storm', '--cameras', '40', '--users', '20', '--seed', '3', '--bug', 'wyze-2024', '--workers', '1', '--quiet'];
const started: number[] = [];

afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function failuresIn(dir: string): Promise<number> {
  const report = await parse(readFileSync(join(dir, 'junit.xml'), 'utf8'));
  return report && 'failures' in report ? (report.failures ?? 0) : -1;
}

/** Starts a run and SIGKILLs it once its storm phase has gone on for a while (about 12 s into the load). */
async function killedRun(out: string): Promise<void> {
  // Long enough that the kill lands well before the run's end.
  const child = spawn(process.execPath, [STAMPEDE, ...RUN, '--duration', '20', '--out', out], { stdio: 'ignore' });
  started.push(child.pid!);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 90_000;
  const journal = join(out, 'journal.ndjson');
  let stormSeenAt: number | undefined;
  while (Date.now() < deadline && child.exitCode === null) {
    // A phase record, not the header (whose planned expectations name the phases too).
    if (stormSeenAt === undefined && existsSync(journal) && /"type":"phase"[^\n]*"name":"storm"/.test(readFileSync(journal, 'utf8'))) stormSeenAt = Date.now();
    if (stormSeenAt !== undefined && Date.now() - stormSeenAt >= 5000) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(child.exitCode, 'the run ended before it could be killed').toBeNull();
  child.kill('SIGKILL');
  await exited;
}

describe('stampede report', () => {
  it('a run killed half-way gets an honest verdict: fail on leaks found so far, or error; never a pass', async () => {
    const out = runDir('killed');
    await killedRun(out);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const result = await stampede(['report', out]);
    const summary = readSummary(out);
    expect(summary.interrupted, result.stderr).toMatch(/no end mark/);
    expect(result.stderr).toContain('the run was killed');
    expect(['fail', 'error']).toContain(summary.verdict);
    expect(result.code).toBe(summary.verdict === 'fail' ? 1 : 3);
    if (summary.verdict === 'fail') expect(summary.leaks.total).toBeGreaterThan(0);
    expect(summary.checked.total).toBeGreaterThan(0);
    expect((await failuresIn(out)) > 0).toBe(summary.verdict === 'fail');
    for (const file of ['summary.md', 'junit.xml']) expect(existsSync(join(out, file))).toBe(true);
  }, 150_000);

  it('a complete run\'s report agrees with the live run, in another folder', async () => {
    const out = runDir('complete');
    const live = await stampede([...RUN, '--duration', '12', '--out', out]);
    const before: Summary = readSummary(out);
    const again = runDir('again');
    const report = await stampede(['report', out, '--out', again]);
    const after = readSummary(again);
    expect(report.code, report.stderr).toBe(live.code);
    expect(after.interrupted).toBeUndefined();
    for (const key of ['verdict', 'reasons', 'leaks', 'checked', 'events', 'probes', 'latency', 'gates', 'evidence'] as const) {
      expect(after[key], key).toEqual(before[key]);
    }
    expect(await failuresIn(again)).toBe(await failuresIn(out));
    expect((await failuresIn(again)) > 0).toBe(after.verdict === 'fail');
    expect(readFileSync(join(again, 'summary.md'), 'utf8')).toBe(readFileSync(join(out, 'summary.md'), 'utf8'));
  }, 150_000);

  it('a folder without a journal is bad usage', async () => {
    const empty = runDir('empty');
    mkdirSync(empty);
    const result = await stampede(['report', empty]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/holds no journal\.ndjson/);
  });
});
