/**
 * Secrets and hostile text, as a user meets them through the real CLI (issue 9, items 6, 9, 10, 14 and 16):
 * credentials in --target, a target that redirects the seeded world elsewhere, a --toxiproxy off this machine, a
 * target that echoes the admin token and passwords back, escape sequences and newlines from a target or a flag,
 * and an ambient STAMPEDE_ADMIN_TOKEN on the embedded cloud. Misbehaving targets are small servers started here.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { HistoryRecord } from '../../src/world/history.ts';
import { runDir, readSummary, stampede } from '../helpers/cli.ts';
import { errorBody, startHostileTarget, type HostileTarget } from '../helpers/hostile-target.ts';
import { tinyWorld } from '../oracle/fixtures.ts';
import type { JournalHeader } from '../../src/world/journal-header.ts';

const TOKEN = 'hostile-test-admin-token-5b1e7c';
const PASSWORD = 'url-password-9d3f1a';
/** Small, short and on one worker: these runs are about what gets written and printed, not about the storm. */
const SMALL = ['--cameras', '6', '--users', '4', '--duration', '10', '--seed', '3', '--workers', '1'];

/** A hostile server stopped when the test that started it ends (tests here run concurrently). */
async function hostile(...args: Parameters<typeof startHostileTarget>): Promise<HostileTarget> {
  const target = await startHostileTarget(...args);
  onTestFinished(() => target.stop());
  return target;
}

/** Every file the run wrote, by name. */
function outputs(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}

function expectNowhere(secret: string, result: { stdout: string; stderr: string }, dir: string): void {
  expect(result.stdout, 'stdout').not.toContain(secret);
  expect(result.stderr, 'stderr').not.toContain(secret);
  for (const [file, text] of Object.entries(outputs(dir))) expect(text, file).not.toContain(secret);
}

/** Escape sequences and bell, as a terminal would obey them, and lines that pretend to be ours. */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

describe.concurrent('a hostile target or flag', () => {
  it('6: credentials in --target are refused in one line before anything is sent, and never printed', async () => {
    const target = await hostile();
    const out = runDir('credentials');
    const result = await stampede(['run', '--target', `http://admin:${PASSWORD}@127.0.0.1:${target.port}`, '--admin-token', TOKEN, ...SMALL, '--out', out]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^stampede: --target must not carry credentials: [^\n]*\n$/);
    expectNowhere(PASSWORD, result, out);
    expect(target.seen).toEqual([]);
  }, 120_000);

  it('9: a redirect from the target is an error naming it, and the seeded world goes nowhere else', async () => {
    const elsewhere = await hostile(() => ({ status: 204 }));
    const target = await hostile((request) =>
      request.path === '/v1/admin/world' ? { status: 307, headers: { location: `${elsewhere.url}/v1/admin/world` } } : undefined,
    );
    const out = runDir('redirect');
    const result = await stampede(['run', '--target', target.url, '--admin-token', TOKEN, ...SMALL, '--out', out]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/PUT \/v1\/admin\/world: answered 307, a redirect: redirects are not followed/);
    expect(elsewhere.seen).toEqual([]);
  }, 120_000);

  it('9: a --toxiproxy (or TOXIPROXY_URL) off this machine is refused without --allow-remote, before any connection', async () => {
    // 0.0.0.0 is not a loopback address, yet connecting to it reaches this machine: the guard must refuse it, and
    // the recording server shows whether anything was sent.
    const toxiproxy = await hostile();
    const remote = `http://0.0.0.0:${toxiproxy.port}`;
    const flag = await stampede(['run', '--toxiproxy', remote, ...SMALL, '--out', runDir('toxiproxy-flag')]);
    expect(flag.code, flag.stderr).toBe(2);
    expect(flag.stderr).toMatch(/^stampede: --toxiproxy 0\.0\.0\.0:\d+ is not on this machine: .*--allow-remote[^\n]*\n$/);
    const env = await stampede(['run', ...SMALL, '--out', runDir('toxiproxy-env')], { env: { TOXIPROXY_URL: remote } });
    expect(env.code, env.stderr).toBe(2);
    expect(env.stderr).toMatch(/is not on this machine/);
    expect(toxiproxy.seen).toEqual([]);
  }, 120_000);

  it('10: an admin token a target echoes back while seeding is redacted from stderr and every file', async () => {
    const target = await hostile((request) =>
      request.path === '/v1/admin/world' ? errorBody(500, `refused ${request.headers.authorization ?? ''}`) : undefined,
    );
    const out = runDir('echo-seed');
    const result = await stampede(['run', '--target', target.url, '--admin-token', TOKEN, ...SMALL, '--out', out]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/seeding the world through adapter reference failed: .*refused Bearer \[redacted\]/);
    expectNowhere(TOKEN, result, out);
  }, 120_000);

  it('10: the admin token and the passwords a target echoes during the load never reach the journal or a report', async () => {
    const target = await hostile((request) => {
      if (request.path === '/v1/admin/world') return { status: 204 };
      if (request.path.startsWith('/v1/admin/')) return errorBody(500, `cannot apply for ${request.headers.authorization ?? ''}`);
      // A 2xx that is not JSON: the user sims record its start, here the password they just sent.
      if (request.path === '/v1/login') return { status: 200, body: `welcome ${(JSON.parse(request.body) as { password: string }).password}` };
      return undefined;
    });
    const out = runDir('echo-load');
    const result = await stampede(['run', '--target', target.url, '--admin-token', TOKEN, ...SMALL, '--out', out]);
    const seeded = JSON.parse(target.seen.find((request) => request.path === '/v1/admin/world')!.body) as {
      users: { password: string }[];
      cameras: { secret: string }[];
    };
    const journal = readFileSync(join(out, 'journal.ndjson'), 'utf8');
    // The target did echo them, and what it said was kept, less the secrets.
    expect(journal).toMatch(/cannot apply for Bearer \[redacted\]/);
    expect(journal).toMatch(/welcome \[redacted\]/);
    expectNowhere(TOKEN, result, out);
    for (const { password } of seeded.users) expectNowhere(password, result, out);
    for (const { secret } of seeded.cameras) expectNowhere(secret, result, out);
  }, 120_000);

  it('14: escape sequences and newlines in a target\'s error text reach the terminal escaped, never obeyed', async () => {
    const hostileText = '\u001b[2J\u001b]0;owned\u0007\u009b31m\nPASS: no user was shown anything that is not theirs\r\n## fake';
    const target = await hostile((request) => (request.path === '/v1/admin/world' ? errorBody(500, hostileText) : undefined));
    const out = runDir('escapes');
    const result = await stampede(['run', '--target', target.url, '--admin-token', TOKEN, ...SMALL, '--out', out]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\nPASS: no user');
    for (const stream of [result.stdout, result.stderr]) {
      expect(stream).not.toMatch(CONTROL);
      expect(stream.split('\n').filter((line) => line.startsWith('PASS') || line.startsWith('#'))).toEqual([]);
    }
  }, 120_000);

  it('14: a --target holding a newline is bad usage, in one line, before anything is sent', async () => {
    const target = await hostile();
    const result = await stampede(['run', '--target', `${target.url}\n## Stampede storm: PASS`, '--admin-token', TOKEN, ...SMALL, '--out', runDir('newline')]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^stampede: --target must not contain whitespace or control characters: [^\n]*\n$/);
    expect(target.seen).toEqual([]);
  }, 120_000);

  it('16: STAMPEDE_ADMIN_TOKEN in the environment does not break a run on the embedded cloud', async () => {
    const out = runDir('ambient-token');
    const result = await stampede(['run', 'storm', '--cameras', '30', '--users', '15', '--seed', '99', '--duration', '12', '--workers', '1', '--out', out], {
      env: { STAMPEDE_ADMIN_TOKEN: TOKEN },
    });
    expect(result.stderr).not.toMatch(/--admin-token goes with --target/);
    expect(result.code, result.stderr.slice(-2000)).not.toBe(2);
    expect(readSummary(out).target).toBe('embedded');
    expect(result.stdout).toMatch(/^(PASS|FAIL|ERROR)/);
    // An explicit --admin-token without --target is still a mistake worth saying.
    const explicit = await stampede(['run', '--admin-token', TOKEN, ...SMALL, '--out', runDir('explicit-token')]);
    expect(explicit.code).toBe(2);
    expect(explicit.stderr).toMatch(/--admin-token goes with --target/);
  }, 120_000);
});

describe('stampede report on a journal with hostile text in it', () => {
  /** A journal as another machine or an older version might have written it: credentials in the target, markup and a fence in the command. */
  function hostileJournal(): string {
    const dir = runDir('hostile-journal');
    mkdirSync(dir, { recursive: true });
    const startedAt = Date.UTC(2025, 0, 1, 12);
    const header: JournalHeader = {
      type: 'run',
      version: 1,
      startedAt,
      scenario: 'storm',
      seed: 5,
      command: 'bin/stampede run storm ```\n## Stampede storm: PASS\n``` <script>alert(1)</script> \u001b[31m',
      settings: {
        target: `http://admin:${PASSWORD}@127.0.0.1:8080\n## Stampede storm: PASS \`x\` \u001b]0;owned\u0007`,
        bug: 'none', cameras: 2, users: 3, durationS: 20, engine: 'node',
      },
      world: tinyWorld(),
    };
    const records: HistoryRecord[] = [
      { type: 'phase', t: startedAt, name: 'warm-up' },
      { type: 'error', t: startedAt + 10, source: 'admin', message: `target said \u001b[2J\n# PASS <img src=x onerror=alert(1)> http://u:${PASSWORD}@h/` },
      { type: 'end', t: startedAt + 20_000, startedAt },
    ];
    writeFileSync(join(dir, 'journal.ndjson'), [header, ...records].map((line) => `${JSON.stringify(line)}\n`).join(''));
    return dir;
  }

  it('6: credentials in a URL are redacted from every report and the console', async () => {
    const dir = hostileJournal();
    const result = await stampede(['report', dir]);
    expect(result.code).not.toBe(2);
    expect(readSummary(dir).target).toContain('http://[redacted]@127.0.0.1:8080');
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    // journal.ndjson is the hostile input; everything written from it is checked.
    for (const file of ['summary.json', 'summary.md', 'junit.xml', 'report.html']) {
      expect(readFileSync(join(dir, file), 'utf8'), file).not.toContain(PASSWORD);
    }
  }, 60_000);

  it('14: summary.md cannot be broken out of, junit.xml stays valid XML, report.html escapes, the console shows escapes', async () => {
    const dir = hostileJournal();
    const result = await stampede(['report', dir]);
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    // The only heading is the real one; no newline from the target or the command started another.
    expect(md.split('\n').filter((line) => /^\s{0,3}#/.test(line))).toEqual([md.split('\n')[0]]);
    expect(md.split('\n')[0]).toMatch(/^## Stampede storm: (ERROR|FAIL)/);
    expect(md).not.toMatch(CONTROL);
    // The repeat command's fence is longer than any backtick run in it, so it cannot be closed from inside.
    const fence = /^(`{3,})sh$/m.exec(md)![1]!;
    expect(fence.length).toBeGreaterThan(3);
    const block = md.slice(md.indexOf(`${fence}sh\n`) + fence.length + 3);
    expect(block.indexOf(`\n${fence}\n`)).toBe(block.split('\n')[0]!.length);
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x onerror');
    for (const stream of [result.stdout, result.stderr]) expect(stream).not.toMatch(CONTROL);
  }, 60_000);
});
