/**
 * The CI examples in docs/ci must not rot: both parse as YAML, have the pieces the README promises (Node 20, Go,
 * Redis, artifacts kept whatever happened, the step summary), and every `bin/stampede` command in them exists in the
 * real CLI's help with every flag it uses. Then the storm they run, pointed at a cloud with a known leak, fails the
 * job with a readable reason and leaves the files the jobs publish.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GITHUB = 'docs/ci/github-actions.yml';
const GITLAB = 'docs/ci/gitlab-ci.yml';

/** Parses strictly: any YAML error or warning fails, as it would fail the CI service. */
function load(path: string): Record<string, any> {
  const document = parseDocument(readFileSync(join(ROOT, path), 'utf8'), { prettyErrors: true, uniqueKeys: true });
  expect([...document.errors, ...document.warnings].map((problem) => problem.message), path).toEqual([]);
  return document.toJS() as Record<string, any>;
}

/** Every shell line of a job that runs bin/stampede. */
function stampedeCommands(lines: string[]): string[][] {
  return lines
    .flatMap((block) => block.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.startsWith('bin/stampede '))
    .map((line) => line.split(/\s+/).slice(1));
}

function githubLines(workflow: Record<string, any>): string[] {
  return Object.values(workflow.jobs as Record<string, { steps: { run?: string }[] }>).flatMap((job) => job.steps.flatMap((step) => (step.run ? [step.run] : [])));
}

function gitlabLines(pipeline: Record<string, any>): string[] {
  return Object.values(pipeline)
    .filter((job): job is Record<string, string[]> => typeof job === 'object' && job !== null && 'script' in job)
    .flatMap((job) => [...(job.before_script ?? []), ...job.script, ...(job.after_script ?? [])]);
}

describe('the CI examples', () => {
  it('GitHub Actions: Node 20, Go, Redis, the storm, artifacts and step summary whatever happened', () => {
    const workflow = load(GITHUB);
    const job = workflow.jobs.storm;
    const uses = (prefix: string) => job.steps.find((step: { uses?: string }) => step.uses?.startsWith(prefix));
    expect(uses('actions/checkout@')).toBeDefined();
    expect(String(uses('actions/setup-node@').with['node-version'])).toBe('20');
    expect(uses('actions/setup-go@')).toBeDefined();
    expect(job.services.redis.ports).toContain('6379:6379');
    const upload = uses('actions/upload-artifact@');
    expect(upload.if).toBe('always()');
    expect(upload.with.path).toContain('reports/ci/junit.xml');
    expect(upload.with.path).toContain('reports/ci/report.html');
    const summary = job.steps.find((step: { run?: string }) => step.run?.includes('$GITHUB_STEP_SUMMARY'));
    expect(summary.if).toBe('always()');
    expect(summary.run).toContain('cat reports/ci/summary.md >> "$GITHUB_STEP_SUMMARY"');
    // The storm step must not swallow the exit code, or the gate never closes.
    const storm = job.steps.find((step: { run?: string }) => step.run?.startsWith('bin/stampede run'));
    expect(storm.run.trim()).toBe('bin/stampede run storm --duration 60 --out reports/ci');
    expect(storm['continue-on-error']).toBeUndefined();
  });

  it('GitLab CI: Node 20, Go, Redis, the storm, junit report and artifacts whatever happened', () => {
    const pipeline = load(GITLAB);
    const job = pipeline['stampede-storm'];
    expect(job.image).toMatch(/^node:20/);
    expect(job.before_script.join('\n')).toContain('go.dev/dl/go');
    expect(job.services.map((service: { name: string }) => service.name)).toContain('redis:7');
    expect(job.script).toEqual(['bin/stampede run storm --duration 60 --out reports/ci']);
    expect(job.allow_failure).toBeUndefined();
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.reports.junit).toBe('reports/ci/junit.xml');
    expect(job.artifacts.paths).toEqual(expect.arrayContaining(['reports/ci/junit.xml', 'reports/ci/report.html']));
  });

  it('the README shows the same commands the jobs run', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const path of [GITHUB, GITLAB]) expect(readme).toContain(`(${path})`);
    const commands = stampedeCommands(githubLines(load(GITHUB))).map((args) => `bin/stampede ${args.join(' ')}`);
    expect(commands.length).toBeGreaterThan(1);
    for (const command of commands) expect(readme).toContain(command);
  });

  it('every bin/stampede command in them exists in the CLI, with every flag and the scenario', async () => {
    const commands = [...stampedeCommands(githubLines(load(GITHUB))), ...stampedeCommands(gitlabLines(load(GITLAB)))];
    expect(commands.length).toBe(4);
    const top = await stampede(['--help'], { timeoutMs: 30_000 });
    expect(top.code).toBe(0);
    const helps = new Map<string, string>();
    for (const [subcommand, ...rest] of commands) {
      expect(top.stdout).toMatch(new RegExp(`^\\s+${subcommand}\\b`, 'm'));
      if (!helps.has(subcommand!)) helps.set(subcommand!, (await stampede([subcommand!, '--help'], { timeoutMs: 30_000 })).stdout);
      const help = helps.get(subcommand!)!;
      for (const flag of rest.filter((arg) => arg.startsWith('--'))) expect(help, `${subcommand} ${flag}`).toContain(`${flag} `);
      if (subcommand === 'run') expect(help).toContain(rest[0]);
    }
  }, 60_000);

  it('the storm they run fails the job against a leaking cloud, saying why, and leaves the files they publish', async () => {
    const [storm] = stampedeCommands(githubLines(load(GITHUB))).filter(([subcommand]) => subcommand === 'run');
    const out = runDir('ci');
    // The job's own command with its output folder moved, a leak switched on, and a fleet that sets it off
    // reliably on this machine in a short time (later flags win): github-2021 leaks under any concurrency, one worker's too.
    const args = storm!.map((arg, i, all) => (all[i - 1] === '--out' ? out : arg));
    const result = await stampede([...args, '--bug', 'github-2021', '--cameras', '60', '--users', '30', '--duration', '16', '--seed', '8', '--workers', '1'], {
      timeoutMs: 150_000,
    });
    expect(result.code, result.stderr.slice(-3000)).toBe(1);
    expect(result.stdout).toMatch(/FAIL/);
    expect(result.stdout).toMatch(/leak/i);
    expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(readSummary(out).verdict).toBe('fail');
    for (const file of ['junit.xml', 'report.html', 'summary.md']) expect(existsSync(join(out, file)), file).toBe(true);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/leak/i);
  }, 180_000);
});
