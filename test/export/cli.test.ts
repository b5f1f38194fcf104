/** `stampede export kubernetes` as a user runs it: the files, the judge's command without its token, and bad flags. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stampede } from '../helpers/cli.ts';

const RUN = ['--seed', '7', '--cameras', '6', '--users', '3', '--duration', '20', '--target', 'http://127.0.0.1:8080', '--collector', 'http://127.0.0.1:7070'];

describe('stampede export kubernetes', () => {
  it('writes the Job, the Secret, the token, the image and the judge, and prints the judge\'s command without the token', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'stampede-export-')), 'k8s');
    const result = await stampede(['export', 'kubernetes', '--out', dir, '--parallelism', '3', ...RUN, '--gate', 'reconnect.p95<5s']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const file of ['job.yaml', 'secret.yaml', 'collector-token', 'Dockerfile', 'Dockerfile.dockerignore', 'judge.sh']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const token = readFileSync(join(dir, 'collector-token'), 'utf8').trim();
    expect(result.stdout).not.toContain(token);
    expect(result.stdout).toContain(
      `STAMPEDE_COLLECTOR_TOKEN=$(cat ${join(dir, 'collector-token')}) bin/stampede run storm --workers 0 --collector-listen 127.0.0.1:7070 ` +
        `--expect-workers 3 --proxy-listen 127.0.0.1:8080 --seed 7 --cameras 6 --users 3 --duration 20 --gate 'reconnect.p95<5s'\n`,
    );
    expect(result.stdout).toContain(`kubectl apply -f ${dir}/secret.yaml -f ${dir}/job.yaml`);
    expect(readFileSync(join(dir, 'judge.sh'), 'utf8')).toContain("exec bin/stampede run storm --workers 0 --collector-listen 127.0.0.1:7070 --expect-workers 3 --proxy-listen 127.0.0.1:8080 --seed 7");
  });

});

describe('stampede export kubernetes: bad flags', () => {
  const base = mkdtempSync(join(tmpdir(), 'stampede-export-bad-'));
  const file = join(base, 'a-file');
  writeFileSync(file, 'not a folder');
  const out = join(base, 'k8s');
  // One process per case, each its own test: a CLI start takes seconds on a loaded machine.
  it.each<[string, string[], RegExp]>([
    ['--parallelism 0', ['--out', out, '--parallelism', '0', ...RUN], /^stampede: --parallelism 0 is not a whole number/],
    ['a non-integer --parallelism', ['--out', out, '--parallelism', '2.5', ...RUN], /^stampede: --parallelism 2.5 is not a whole number/],
    ['no --out', ['--parallelism', '3', ...RUN], /^stampede: --out is required/],
    ['an --out that is a file', ['--out', file, '--parallelism', '3', ...RUN], /^stampede: --out .*a-file is a file/],
    ['a remote --target without --allow-remote', ['--out', out, '--parallelism', '3', ...RUN.slice(0, 8), '--target', 'http://workers.example:8080', ...RUN.slice(10)],
      /^stampede: --target workers.example:8080 is not on this machine: add --allow-remote/],
    ['--bug with an adapter of another backend than the embedded cloud', ['--out', out, '--parallelism', '3', ...RUN, '--adapter', 'examples/adapters/mqtt.adapter.ts', '--bug', 'github-2021'],
      /^stampede: adapter mqtt-cloud talks to api, broker, but --cloud reference serves target: use --adapter/],
  ])('%s: one line, exit 2, nothing written', async (_name, args, message) => {
    const result = await stampede(['export', 'kubernetes', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});
