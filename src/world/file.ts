/**
 * `--world FILE`: the accounts that already exist on the backend, from a JSON or YAML file. A bad file is one usage
 * line naming the file and the wrong field (`world.yaml: cameras[3].owner: no user "bob"`). Every secret is
 * registered for redaction as soon as it is known, so neither a literal one nor one resolved from `${ENV_NAME}`
 * can reach the console, the journal or a report. The run and each of its workers read the file themselves: the
 * environment is inherited, so no secret ever travels in a process's arguments.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.ts';
import { keepSecret } from '../protocol/redact.ts';
import { accountsOf, WorldFileError, type Accounts } from './accounts.ts';

export function readWorldFile(path: string, env: Readonly<Record<string, string | undefined>> = process.env): Accounts {
  const parsed = parseWorldText(path, readText(path));
  try {
    const accounts = accountsOf(parsed, env);
    for (const user of accounts.users) keepSecret(user.secret);
    for (const camera of accounts.cameras) keepSecret(camera.secret);
    return accounts;
  } catch (error) {
    if (error instanceof WorldFileError) throw new UsageError(`${path}: ${error.message}`, error.hint);
    throw error;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`cannot read the world file ${path}: ${why}`, 'write one with `bin/stampede world template --out FILE`');
  }
}

/** `.json` is read as strict JSON; anything else as YAML (of which JSON is a part). */
function parseWorldText(path: string, text: string): unknown {
  const json = extname(path).toLowerCase() === '.json';
  try {
    return json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    // Both parsers quote the offending text, which may hold a secret: keep only what and where.
    const message = (error as Error).message.split('\n')[0]!.replace(/:$/, '').replace(/, (?:\.\.\.)?".*" is not valid JSON$/, '')
      .replace(/ at position (\d+)$/, (_, at: string) => ` at ${lineAndColumn(text, Number(at))}`);
    throw new UsageError(`${path}: not valid ${json ? 'JSON' : 'YAML'}: ${message}`);
  }
}

/** JSON.parse says where by offset; people find a place by line. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/** The environment variables the file's `${NAME}` secrets name: what a run elsewhere needs set (an export's Secret). */
export function worldSecretNames(path: string, env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const names = new Set<string>();
  // The file is read exactly as a run reads it; the variables it looks up are its references.
  const watched = new Proxy(env, { get: (target, name) => (typeof name === 'string' && names.add(name), target[name as string]) });
  readWorldFile(path, watched);
  return [...names];
}
