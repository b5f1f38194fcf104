/**
 * The fleet split across worker processes, through the real CLI, real Toxiproxy and real Redis: the verdict does
 * not depend on how many workers drive the fleet, nor the world and schedule the seed gives; a worker killed mid-run
 * makes the run an error naming it (a leak zoo bug caught with 2 workers is in storm-zoo.test.ts); and
 * workers started by hand with the environment a Kubernetes Indexed Job gives each pod, against a `--workers 0`
 * judge, give the verdict a local run gives on the same seed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/report/summary.ts';
import { readSummary, runDir, stampede, type CliResult } from '../helpers/cli.ts';

const FLEET = ['--cameras', '60', '--users', '30', '--seed', '8', '--quiet'];
const SMALL = [...FLEET, '--duration', '16'];
/** github-2021 leaks under any concurrency: a shorter run fails as surely. */
const GITHUB = [...FLEET, '--bug', 'github-2021', '--duration', '12'];

interface Judged {
  result: CliResult;
  summary: Summary;
  /** The run's folder. */
  out: string;
}

async function storm(name: string, args: string[]): Promise<Judged> {
  const out = runDir(name);
  const result = await stampede(['run', 'storm', ...args, '--out', out], { timeoutMs: 240_000 });
  return { result, summary: readSummary(out), out };
}

/** The world and access-change schedule the run planned, as its journal's header records them. */
const worldOf = ({ out }: Judged): { changes: unknown[] } => JSON.parse(readFileSync(join(out, 'journal.ndjson'), 'utf8').split('\n')[0]!).world;

/** What must not depend on the number of workers: the exit code and the verdict. */
const verdictOf = ({ result, summary }: Judged) => ({ code: result.code, verdict: summary.verdict });

/** The github-2021 run with 2 local workers, kept to compare the hand-started workers' verdict with. */
let githubTwoWorkers: Judged | undefined;

describe('stampede run --workers N', () => {
  it('passes the correct cloud with 1 and 3 workers alike, each worker taking its share, on the world the seed gives', async () => {
    const [one, three] = await Promise.all([storm('none-1', [...SMALL, '--workers', '1']), storm('none-3', [...SMALL, '--workers', '3'])]);
    // The same seed gives the same world and schedule, byte for byte, whoever drives it.
    expect(worldOf(one).changes.length).toBeGreaterThan(0);
    expect(JSON.stringify(worldOf(three))).toBe(JSON.stringify(worldOf(one)));
    for (const run of [one, three]) {
      expect(run.result.code, run.result.stderr.slice(-3000)).toBe(0);
      expect(run.summary.leaks.total).toBe(0);
      expect(run.summary.checked.list).toBeGreaterThan(0);
    }
    expect(verdictOf(three)).toEqual(verdictOf(one));
    expect(three.summary.workers!.map((share) => [share.worker, share.cameras, share.users])).toEqual([[1, 20, 10], [2, 20, 10], [3, 20, 10]]);
    expect(three.summary.workers!.every((share) => share.recordsSent === share.recordsReceived && share.recordsReceived > 0)).toBe(true);
  }, 300_000);

  it('fails github-2021 with 1, 2 and 3 workers alike, with leaks in event lists', async () => {
    const runs = await Promise.all([1, 2, 3].map((n) => storm(`github-${n}`, [...GITHUB, '--workers', String(n)])));
    for (const run of runs) {
      expect(run.result.code, run.result.stderr.slice(-3000)).toBe(1);
      expect(run.summary.leaks.bySurface.list, JSON.stringify(run.summary.leaks)).toBeGreaterThan(0);
      expect(verdictOf(run)).toEqual(verdictOf(runs[0]!));
    }
    githubTwoWorkers = runs[1];
  }, 300_000);

  it('makes a run whose worker is killed mid-run an error naming the worker', async () => {
    const out = runDir('killed');
    let victim: number | undefined;
    const result = await stampede(['run', 'storm', '--cameras', '40', '--users', '20', '--duration', '40', '--seed', '3', '--workers', '2', '--quiet', '--out', out], {
      timeoutMs: 240_000,
      onStderr: (stderr) => {
        const pids = /2 workers ready \(pids (\d+), (\d+)\)/.exec(stderr);
        if (!pids || victim !== undefined) return;
        victim = Number(pids[2]);
        void underWay(join(out, 'journal.ndjson')).then(() => process.kill(victim!, 'SIGKILL'));
      },
    });
    expect(victim).toBeDefined();
    expect(result.code, result.stderr.slice(-3000)).toBe(3);
    expect(result.stderr).toContain(`worker 2 of 2 (pid ${victim}) exited with signal SIGKILL`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readSummary(out).verdict).not.toBe('pass');
  }, 300_000);

  it('judges workers started by hand with an Indexed Job\'s environment (--workers 0) as a local run on the same seed', async () => {
    const token = 'a-token-for-this-test-only';
    const out = runDir('judge');
    let workers: Promise<CliResult[]> | undefined;
    const judge = stampede(['run', 'storm', ...GITHUB, '--workers', '0', '--collector-listen', '127.0.0.1:0', '--expect-workers', '2', '--out', out], {
      timeoutMs: 240_000,
      env: { STAMPEDE_COLLECTOR_TOKEN: token },
      onStderr: (stderr) => {
        const printed = /as: bin\/stampede (worker .*?) --collector (\S+) --count 2 --index I/.exec(stderr);
        if (!printed || workers) return;
        const args = printed[1]!.split(' ');
        const pod = (index: number, extra: string[] = []) => stampede([...args, ...extra], {
          timeoutMs: 240_000,
          env: { JOB_COMPLETION_INDEX: String(index), STAMPEDE_WORKER_COUNT: '2', STAMPEDE_COLLECTOR: printed[2]!, STAMPEDE_COLLECTOR_TOKEN: token },
        });
        // A worker given another seed than the run's refuses itself before it joins; then the two real pods.
        workers = pod(0, ['--seed', '9']).then(async (stray) => [stray, ...(await Promise.all([pod(0), pod(1)]))]);
      },
    });
    const judged = await judge;
    expect(workers).toBeDefined();
    const [stray, ...pods] = await workers!;
    expect(stray!.code).toBe(2);
    expect(stray!.stderr).toContain('--seed 9 (the run\'s is 8)');
    for (const pod of pods) expect(pod.code, pod.stderr.slice(-2000)).toBe(0);
    expect(judged.stderr).not.toContain(token);
    const remote = { result: judged, summary: readSummary(out), out };
    expect(remote.summary.workers!.map((share) => share.worker)).toEqual([1, 2]);
    expect(remote.summary.leaks.bySurface.list).toBeGreaterThan(0);
    const local = githubTwoWorkers ?? (await storm('github-2', [...GITHUB, '--workers', '2']));
    expect(verdictOf(remote)).toEqual(verdictOf(local));
    expect(remote.result.code).toBe(1);
  }, 300_000);
});

/** Resolves once the journal holds a camera welcomed through a worker: the storm is under way (bounded). */
async function underWay(journal: string): Promise<void> {
  for (let tries = 0; tries < 1000; tries++) {
    try {
      if (readFileSync(journal, 'utf8').includes('"state":"welcome"')) return;
    } catch {
      // not written yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

