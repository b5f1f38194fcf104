/**
 * A world file end to end, through the real CLI, the embedded cloud, real Toxiproxy and Redis: `world template`
 * writes a file that `run --world` passes as it is (with two of its secrets turned into `${ENV}` references), and no
 * secret of the file, literal or referenced, appears in any output file, on the console, or in the arguments of
 * any process on this machine while the run goes (its workers, which read the file themselves, included).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';

/** Every process's arguments, by pid; processes that end while being read are skipped. */
function commandLines(): Map<number, string> {
  const lines = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      lines.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return lines;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('stampede run --world', () => {
  it('passes the template as written on the embedded cloud, and no secret of it shows anywhere', async () => {
    const out = runDir('world');
    const file = join(out, '..', 'world.yaml');
    const template = await stampede(['world', 'template', '--cameras', '20', '--users', '10', '--out', file]);
    expect(template.code, template.stderr).toBe(0);

    // Two secrets by reference, from the environment the run and its workers inherit.
    const env = { STAMPEDE_TEST_USER_SECRET: randomBytes(18).toString('base64url'), STAMPEDE_TEST_CAMERA_SECRET: randomBytes(18).toString('base64url') };
    const text = readFileSync(file, 'utf8')
      .replace(/(id: user-1\n.*\n {4}secret: )"[^"]+"/, '$1"${STAMPEDE_TEST_USER_SECRET}"')
      .replace(/(id: cam-1\n {4}secret: )"[^"]+"/, '$1"${STAMPEDE_TEST_CAMERA_SECRET}"');
    expect(text.match(/secret: "\$\{STAMPEDE_TEST_\w+_SECRET\}" /g)).toHaveLength(2);
    writeFileSync(file, text);
    const secrets = [...Object.values(env), ...[...text.matchAll(/secret: "([^"$]+)"/g)].map((match) => match[1]!)];
    expect(secrets).toHaveLength(30);

    // Every process's arguments, read over and over while the run goes: the run, its cloud, Toxiproxy, the workers.
    const seenArgs = new Map<number, Set<string>>();
    let workerPids: number[] = [];
    const scan = () => commandLines().forEach((line, pid) => seenArgs.set(pid, (seenArgs.get(pid) ?? new Set()).add(line)));
    const scanning = setInterval(scan, 250);
    let result;
    try {
      result = await stampede(['run', 'storm', '--world', file, '--duration', '16', '--seed', '7', '--workers', '2', '--quiet', '--out', out], {
        env,
        timeoutMs: 240_000,
        onStderr: (stderr) => {
          const pids = /2 workers ready \(pids (\d+), (\d+)\)/.exec(stderr);
          if (pids && workerPids.length === 0) {
            workerPids = [Number(pids[1]), Number(pids[2])];
            scan();
          }
        },
      });
    } finally {
      clearInterval(scanning);
    }

    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const summary = readSummary(out);
    expect(summary.verdict).toBe('pass');
    expect(summary.leaks.total).toBe(0);
    // Provenance still works: the run's own cameras made the thumbnails it checked.
    expect(summary.checked.thumbnail).toBeGreaterThan(0);
    expect(summary.checked.list).toBeGreaterThan(0);

    // The scan saw the workers, started with the file's path and no secret.
    expect(workerPids).toHaveLength(2);
    for (const pid of workerPids) expect([...(seenArgs.get(pid) ?? [])].join('\n'), `worker ${pid}`).toContain(`--world ${file}`);
    const printed = result.stdout + result.stderr;
    const written = filesUnder(out);
    expect(written.map((path) => path.slice(out.length + 1))).toEqual(expect.arrayContaining(['journal.ndjson', 'summary.json', 'report.html', 'junit.xml']));
    for (const secret of secrets) {
      expect(printed, 'console').not.toContain(secret);
      for (const path of written) expect(readFileSync(path, 'utf8'), path).not.toContain(secret);
      for (const [pid, args] of seenArgs) for (const line of args) expect(line, `arguments of pid ${pid}`).not.toContain(secret);
    }
  }, 300_000);
});
