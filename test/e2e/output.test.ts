/**
 * Where a run's output goes, through the real CLI: an `--out` that cannot be a folder is one line and exit 2
 * before any load is sent; output the disk refused (Linux's /dev/full answers every write with ENOSPC) is exit 3
 * naming the file, never a pass and never a pointer at a report that is not there; a journal that is not a
 * journal, or is corrupt in the middle, is said to be so, never judged as a whole one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../src/run/journal.ts';
import type { HistoryRecord } from '../../src/world/history.ts';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';
import { cleanRun, T, tinyWorld } from '../oracle/fixtures.ts';
import type { JournalHeader } from '../../src/world/journal-header.ts';

const REPORTS = ['summary.json', 'junit.xml', 'summary.md', 'report.html'];

/** A target that only counts what reaches it: an --out refused before anything starts sends it nothing. */
let target: Server;
let requests = 0;
let targetUrl: string;

beforeAll(async () => {
  target = createServer((req, res) => {
    requests += 1;
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => target.close(() => resolve())));

/** A run folder holding a whole journal of a tiny clean run (which `stampede report` passes), plus `extra` lines. */
async function runFolder(extra: string[] = [], records: HistoryRecord[] = cleanRun()): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-output-'));
  const header: JournalHeader = {
    type: 'run', version: 1, startedAt: T - 5000, scenario: 'storm', seed: 5, command: 'bin/stampede run storm --seed 5',
    settings: { target: 'embedded', bug: 'none', cameras: 2, users: 3, durationS: 10, engine: 'node', gates: { leaks: 0 } },
    world: tinyWorld(),
  };
  const journal = new Journal(join(dir, 'journal.ndjson'), header);
  const [first, ...rest] = records;
  journal.record(first!);
  await journal.close();
  const lines = [...rest.map((record) => JSON.stringify(record)), ...extra, JSON.stringify({ type: 'end', t: T + 10_000, startedAt: T })];
  writeFileSync(join(dir, 'journal.ndjson'), `${lines.join('\n')}\n`, { flag: 'a' });
  return dir;
}

function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n').filter((line) => !line.startsWith('stampede: storm on'));
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('an --out that cannot be a folder', () => {
  const TOKEN = ['--admin-token', 'output-test-token'];

  it('a file, or a path under a file, is one line and exit 2 before any load is sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stampede-output-'));
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    for (const [out, why] of [[file, /is a file, not a folder/], [join(file, 'run'), /is under a file, not a folder/]] as const) {
      const result = await stampede(['run', '--target', targetUrl, ...TOKEN, '--duration', '10', '--cameras', '2', '--users', '2', '--out', out]);
      expect(result.code, result.stderr).toBe(2);
      expectOneLine(result.stderr, new RegExp(`^stampede: --out ${out} ${why.source}`));
    }
    expect(requests).toBe(0);
  });

  it('a read-only folder is one line and exit 2 (on a read-only tmpfs; skipped where mounting is not allowed)', async (context) => {
    const mountpoint = mkdtempSync(join(tmpdir(), 'stampede-ro-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', mountpoint], { stdio: 'ignore' });
    } catch {
      context.skip('mounting a read-only tmpfs needs root and a kernel that allows it');
    }
    try {
      const result = await stampede(['run', '--target', targetUrl, ...TOKEN, '--duration', '10', '--cameras', '2', '--users', '2', '--out', mountpoint]);
      expect(result.code, result.stderr).toBe(2);
      expectOneLine(result.stderr, /^stampede: --out .* is on a read-only file system/);
      expect(requests).toBe(0);
    } finally {
      execFileSync('umount', [mountpoint]);
    }
  });
});

describe('stampede report on something that is not a run folder', () => {
  it('a file or a missing folder is one line and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stampede-output-'));
    writeFileSync(join(dir, 'a-file'), 'x');
    for (const [path, why] of [[join(dir, 'a-file'), /is a file, not a run folder/], [join(dir, 'missing'), /does not exist/]] as const) {
      const result = await stampede(['report', path]);
      expect(result.code).toBe(2);
      expectOneLine(result.stderr, new RegExp(`^stampede: ${path} ${why.source}`));
    }
  });

  it('a journal that is not JSON is called what it is, not empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stampede-output-'));
    writeFileSync(join(dir, 'journal.ndjson'), 'Lorem ipsum\ndolor sit amet\n');
    const result = await stampede(['report', dir]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /is not a Stampede journal: its first line is not JSON/);
  });

  it('a journal with a corrupt line in the middle is exit 3 naming the line, never a pass', async () => {
    const whole = await stampede(['report', await runFolder()]);
    expect(whole.code, `the same journal without the bad line is judged: ${whole.stderr}`).not.toBe(2);
    const dir = await runFolder(['{"type":"shown","surface":"li']);
    const result = await stampede(['report', dir]);
    expect(result.code, result.stderr).toBe(3);
    expectOneLine(result.stderr, new RegExp(`corrupt at line ${cleanRun().length + 2}`));
    for (const file of REPORTS) expect(existsSync(join(dir, file)), file).toBe(false);
  });
});

describe('output the disk refused', () => {
  it('a run whose journal and report.html hit a full disk ends in error, exit 3, naming them, and points at no report', async () => {
    const out = runDir('full');
    mkdirSync(out, { recursive: true });
    symlinkSync('/dev/full', join(out, 'journal.ndjson'));
    symlinkSync('/dev/full', join(out, 'report.html'));
    const result = await stampede(['run', 'storm', '--cameras', '3', '--users', '2', '--duration', '10', '--seed', '3', '--quiet', '--out', out]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/could not write .*journal\.ndjson, report\.html in .*: ENOSPC/);
    expect(result.stdout).not.toMatch(/report: \S*report\.html/);
    expect(result.stdout).toMatch(/report: none: could not write journal\.ndjson, report\.html/);
    const summary = readSummary(out);
    expect(summary.verdict).toBe('error');
    expect(summary.reasons[0]).toMatch(/^could not write .*journal\.ndjson: ENOSPC/);
    // No half-written report is left for a CI job to read as the run's word.
    expect(readdirSync(out)).not.toContain('report.html');
  }, 120_000);

  it('stampede report onto a full disk is exit 3 naming the files, and leaves none of them empty', async () => {
    const dir = await runFolder();
    const reports = mkdtempSync(join(tmpdir(), 'stampede-output-'));
    for (const file of REPORTS) symlinkSync('/dev/full', join(reports, file));
    const result = await stampede(['report', dir, '--out', reports]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^stampede: could not write summary\.json, junit\.xml, summary\.md, report\.html in \S+: ENOSPC/m);
    expect(result.stdout).toMatch(/report: none/);
    expect(readdirSync(reports)).toEqual([]);
    rmSync(reports, { recursive: true, force: true });
  });
});
