/**
 * `--world FILE` as a user meets it: every kind of bad world file is one line naming the file and the wrong field,
 * exit 2, before anything starts. Each kind is checked through the run's own config resolution (what the CLI runs,
 * and the line it prints), a few through the real CLI too, whose start-up is too slow to pay for every case;
 * `world template` writes a file and refuses to overwrite one.
 * (That a good file runs, in YAML or JSON, and keeps its secrets: test/e2e/world-file.test.ts.)
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { scenarios } from '../../scenarios/index.ts';
import { describeError, exitCodeOf } from '../../src/errors.ts';
import { resolveRunConfig } from '../../src/run/config.ts';
import { stampede } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-world-'));

interface FileWorld {
  users: Array<Record<string, unknown>>;
  cameras: Array<Record<string, unknown>>;
}

function good(): FileWorld {
  return {
    users: [
      { id: 'alice', login: 'alice@example.test', secret: 'alice-secret-1' },
      { id: 'bob', login: 'bob@example.test', secret: 'bob-secret-22' },
    ],
    cameras: [
      { id: 'cam-a', secret: 'cam-a-secret', owner: 'alice', shares: ['bob'] },
      { id: 'cam-b', secret: 'cam-b-secret', owner: 'bob' },
    ],
  };
}

let files = 0;
/** Writes `content` (an object as YAML or JSON by the name's extension, a string as it is) and returns its path. */
function worldFile(name: string, content: unknown): string {
  const path = join(dir, `${files++}-${name}`);
  const text = typeof content === 'string' ? content : name.endsWith('.json') ? JSON.stringify(content) : stringify(content);
  writeFileSync(path, text);
  return path;
}

/** The one line `stampede run --world FILE` prints, after checking it is one line and exit 2; `env` over process.env. */
function refusal(path: string, env: NodeJS.ProcessEnv = {}): string {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete process.env[name];
  try {
    resolveRunConfig({ world: path, workers: '1' }, scenarios, new Date());
  } catch (error) {
    expect(exitCodeOf(error)).toBe(2);
    const line = `stampede: ${describeError(error)}`;
    expect(line).not.toContain('\n');
    return line;
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value === undefined) delete process.env[name]; else process.env[name] = value;
  }
  throw new Error(`${path} was accepted`);
}

/** The same through the real CLI: one line on stderr, exit 2, nothing else. */
async function cliRefusal(path: string): Promise<string> {
  const result = await stampede(['run', 'storm', '--world', path, '--quiet', '--out', join(dir, 'never-written')]);
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  return lines[0]!;
}

const changed = (change: (world: FileWorld) => void): FileWorld => {
  const world = good();
  change(world);
  return world;
};

describe('a bad world file is one line naming the field, exit 2', () => {
  const cases: Array<[string, string, unknown, string]> = [
    ['an owner nobody lists', 'owner.yaml', changed((w) => (w.cameras[1]!.owner = 'carol')), 'cameras[1].owner: no user "carol"'],
    ['a share with nobody listed', 'share.yaml', changed((w) => (w.cameras[0]!.shares = ['zed'])), 'cameras[0].shares[0]: no user "zed"'],
    ['a camera shared with its owner', 'self.json', changed((w) => (w.cameras[0]!.shares = ['alice'])), 'cameras[0].shares[0]: "alice" owns this camera'],
    ['a user id twice', 'dup-user.yaml', changed((w) => (w.users[1]!.id = 'alice')), 'users[1].id: "alice" is already users[0].id'],
    ['a camera id twice', 'dup-cam.json', changed((w) => (w.cameras[1]!.id = 'cam-a')), 'cameras[1].id: "cam-a" is already cameras[0].id'],
    ['no users', 'no-users.yaml', changed((w) => (w.users = [])), 'users: must list at least one user'],
    ['no cameras', 'no-cameras.yaml', changed((w) => (w.cameras = [])), 'cameras: must list at least one camera'],
    ['a number for a secret', 'number.yaml', 'users:\n  - { id: alice, login: a@example.test, secret: 123456 }\ncameras:\n  - { id: c, secret: abcdefgh, owner: alice }\n', 'users[0].secret: must be a string, not a number (put it in quotes)'],
    ['a list where a camera goes', 'type.json', changed((w) => (w.cameras[1] = ['cam-b'] as never)), 'cameras[1]: must be an object ({ id, secret, owner, shares }), not a list'],
    ['a missing login', 'missing.yaml', changed((w) => delete w.users[0]!.login), 'users[0].login: is required'],
    ['a misspelt field', 'typo.yaml', changed((w) => (w.cameras[0]!.sahres = ['bob'])), 'cameras[0].sahres: is not a field of a world file'],
    ['a secret too short to redact', 'short.yaml', changed((w) => (w.cameras[1]!.secret = 'abc')), 'cameras[1].secret: must be at least 6 characters'],
    ['broken YAML', 'broken.yaml', 'users: [a\n  b: c: d\n', 'not valid YAML: '],
    ['broken JSON', 'broken.json', '{"users": [{"id": "alice", }]}', 'not valid JSON: Expected double-quoted property name in JSON at line 1, column 28'],
  ];
  for (const [what, name, content, expected] of cases) {
    it(`refuses ${what}`, () => {
      const path = worldFile(name, content);
      expect(refusal(path)).toContain(`stampede: ${path}: ${expected}`);
    });
  }

  it('refuses a secret referencing a variable that is not set, naming field and variable', () => {
    const path = worldFile('env.yaml', changed((w) => (w.users[1]!.secret = '${STAMPEDE_TEST_UNSET_SECRET}')));
    expect(refusal(path, { STAMPEDE_TEST_UNSET_SECRET: undefined })).toBe(
      `stampede: ${path}: users[1].secret: environment variable STAMPEDE_TEST_UNSET_SECRET is not set: set STAMPEDE_TEST_UNSET_SECRET before the run`,
    );
  });

  it('refuses a file that is not there or is a folder', () => {
    expect(refusal(join(dir, 'absent.yaml'))).toMatch(/^stampede: cannot read the world file .*absent\.yaml: no such file: write one with/);
    const folder = join(dir, 'folder.yaml');
    mkdirSync(folder);
    expect(refusal(folder)).toMatch(/^stampede: cannot read the world file .*folder\.yaml: it is a folder/);
  });

  it('refuses a mistyped secret without echoing it', () => {
    const path = worldFile('echo.json', '{"users": [{"id": "alice", "login": "a", "secret": leakysecret}]}');
    expect(refusal(path)).not.toContain('leakysecret');
  });
});

describe.concurrent('through the real CLI', () => {
  it('refuses an owner nobody lists, in one line', async () => {
    const path = worldFile('cli-owner.yaml', changed((w) => (w.cameras[1]!.owner = 'carol')));
    expect(await cliRefusal(path)).toBe(`stampede: ${path}: cameras[1].owner: no user "carol": list them under users`);
  });

  it('refuses --cameras or --users beside --world', async () => {
    const result = await stampede(['run', 'storm', '--world', worldFile('ok.yaml', good()), '--cameras', '10', '--users', '5']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('stampede: --world lists the cameras and users itself: drop --cameras and --users');
  });

  it('refuses the same bad file given to a worker', async () => {
    const path = worldFile('worker.yaml', changed((w) => (w.cameras[0]!.owner = 'mallory')));
    const result = await stampede(['worker', 'storm', '--world', path, '--collector', 'http://127.0.0.1:9/', '--target', 'http://127.0.0.1:9', '--seed', '1', '--index', '0', '--count', '1'], {
      env: { STAMPEDE_COLLECTOR_TOKEN: 'token-for-the-test' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`stampede: ${path}: cameras[0].owner: no user "mallory": list them under users`);
  });
});

describe('stampede world template', () => {
  it('writes the file once, refuses to overwrite it, and overwrites it with --force', async () => {
    const out = join(dir, 'template.yaml');
    const first = await stampede(['world', 'template', '--cameras', '3', '--users', '2', '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    const written = readFileSync(out, 'utf8');
    expect(written.match(/^ {2}- id: cam-\d+$/gm)).toHaveLength(3);
    expect(written).toContain('${USER_1_SECRET}');
    const again = await stampede(['world', 'template', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`stampede: ${out} already exists: add --force to overwrite it, or pick another --out`);
    expect(readFileSync(out, 'utf8')).toBe(written);
    const forced = await stampede(['world', 'template', '--cameras', '1', '--users', '1', '--out', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').match(/^ {2}- id: cam-\d+$/gm)).toHaveLength(1);
  });
});
