/**
 * The accounts a world file lists: users and cameras that already exist on the backend, who owns each camera and
 * who it is shared with. Validated with zod and then cross-checked (every owner and recipient is a listed user, no
 * id twice, no camera shared with its owner); the first problem is thrown as a `WorldFileError` naming the field's
 * path (`cameras[3].owner`). Secrets written as `${ENV_NAME}` are resolved from the environment given. Pure: the
 * file is read elsewhere (file.ts), so this loads wherever the world does.
 */
import { z } from 'zod';
import { MAX_CAMERAS, MAX_USERS } from './rules.ts';

/** A listed user: `id` is Stampede's name for them (journal, reports), `login` and `secret` what they log in with. */
export interface AccountUser {
  id: string;
  login: string;
  secret: string;
}

export interface AccountCamera {
  /** The device id the backend knows the camera by. */
  id: string;
  /** The device credential. */
  secret: string;
  /** A listed user's id. */
  owner: string;
  /** Listed users' ids, never the owner. */
  shares: string[];
}

export interface Accounts {
  users: AccountUser[];
  cameras: AccountCamera[];
}

/** One wrong field: where it is (`users[2].secret`, '' for the whole file) and what is wrong with it. */
export class WorldFileError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
    /** What to do about it, when that is not plain from the problem. */
    readonly hint?: string,
  ) {
    super(field === '' ? problem : `${field}: ${problem}`);
    this.name = 'WorldFileError';
  }
}

/**
 * Shorter secrets cannot be kept out of the output (redact.ts skips them, or every short word would be mangled),
 * so a world file may not hold them.
 */
export const MIN_SECRET_LENGTH = 6;
/** Ids stay readable in reports and fit the reference protocol's; the backend's own may differ (the adapter maps). */
const ID_PATTERN = /^[^\s\u0000-\u001F\u007F]{1,128}$/;
/** A whole value `${NAME}`; the name as a POSIX shell would take it. */
const REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** zod's messages for a missing or mistyped field; the path is added by `fieldOf`. */
const typed = (what: string) => ({
  error: (issue: { code?: string; input?: unknown }) => {
    if (issue.code !== 'invalid_type') return undefined;
    if (issue.input === undefined) return 'is required';
    // YAML reads `secret: 123456` as a number and `owner: yes` as true: say how to keep it text.
    const quote = what === 'a string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean') ? ' (put it in quotes)' : '';
    return `must be ${what}, not ${kindOf(issue.input)}${quote}`;
  },
});

const text = z.string(typed('a string')).min(1, 'must not be empty');
const id = text.max(128, 'must be at most 128 characters').regex(ID_PATTERN, 'must have no spaces or control characters');

const User = z.strictObject({ id, login: text, secret: text }, typed('an object ({ id, login, secret })'));
const Camera = z.strictObject(
  { id, secret: text, owner: id, shares: z.array(id, typed('a list of user ids')).optional() },
  typed('an object ({ id, secret, owner, shares })'),
);

const WorldFileSchema = z.strictObject(
  {
    users: z.array(User, typed('a list of users')).min(1, 'must list at least one user').max(MAX_USERS, `must list at most ${MAX_USERS} users`),
    cameras: z.array(Camera, typed('a list of cameras')).min(1, 'must list at least one camera').max(MAX_CAMERAS, `must list at most ${MAX_CAMERAS} cameras`),
  },
  typed('an object with users and cameras'),
);

/** The accounts in `input` (a parsed file), secrets resolved from `env`; throws `WorldFileError` on the first problem. */
export function accountsOf(input: unknown, env: Readonly<Record<string, string | undefined>>): Accounts {
  const parsed = WorldFileSchema.safeParse(input);
  if (!parsed.success) throw errorOf(parsed.error.issues[0]!);
  const { users, cameras } = parsed.data;
  const accounts: Accounts = {
    users: users.map((user, i) => ({ ...user, secret: resolveSecret(user.secret, `users[${i}].secret`, env) })),
    cameras: cameras.map((camera, i) => ({ ...camera, secret: resolveSecret(camera.secret, `cameras[${i}].secret`, env), shares: camera.shares ?? [] })),
  };
  checkReferences(accounts);
  return accounts;
}

/** A literal secret as it is; a `${NAME}` reference replaced by the variable's value. */
function resolveSecret(value: string, field: string, env: Readonly<Record<string, string | undefined>>): string {
  const reference = REFERENCE.exec(value);
  if (!reference && value.startsWith('${')) {
    // The value is not echoed: it may be a secret after all.
    throw new WorldFileError(field, 'starts with ${ but is not a reference', 'write ${NAME} alone, NAME made of letters, digits and _');
  }
  const name = reference?.[1];
  const secret = name === undefined ? value : env[name];
  if (name !== undefined && !secret) {
    throw new WorldFileError(field, `environment variable ${name} is ${secret === undefined ? 'not set' : 'empty'}`, `set ${name} before the run`);
  }
  if (secret!.length < MIN_SECRET_LENGTH) {
    const from = name === undefined ? '' : ` (from ${name})`;
    throw new WorldFileError(field, `must be at least ${MIN_SECRET_LENGTH} characters${from}`, 'a shorter one could not be kept out of the reports');
  }
  return secret!;
}

/** Who is listed once, and every owner and recipient a listed user other than the owner. */
function checkReferences({ users, cameras }: Accounts): void {
  const userAt = firstIndexes(users.map((user) => user.id), 'users', 'id');
  firstIndexes(users.map((user) => user.login), 'users', 'login');
  firstIndexes(cameras.map((camera) => camera.id), 'cameras', 'id');
  cameras.forEach((camera, i) => {
    if (!userAt.has(camera.owner)) throw new WorldFileError(`cameras[${i}].owner`, `no user ${JSON.stringify(camera.owner)}`, 'list them under users');
    const seen = new Set<string>();
    camera.shares.forEach((userId, j) => {
      const field = `cameras[${i}].shares[${j}]`;
      if (!userAt.has(userId)) throw new WorldFileError(field, `no user ${JSON.stringify(userId)}`, 'list them under users');
      if (userId === camera.owner) throw new WorldFileError(field, `${JSON.stringify(userId)} owns this camera`, 'a camera is shared with other users only');
      if (seen.has(userId)) throw new WorldFileError(field, `${JSON.stringify(userId)} is already listed`);
      seen.add(userId);
    });
  });
}

/** Each value's first index; a repeat is an error naming both places. */
function firstIndexes(values: readonly string[], list: string, key: string): Map<string, number> {
  const first = new Map<string, number>();
  values.forEach((value, i) => {
    const earlier = first.get(value);
    if (earlier !== undefined) throw new WorldFileError(`${list}[${i}].${key}`, `${JSON.stringify(value)} is already ${list}[${earlier}].${key}`);
    first.set(value, i);
  });
  return first;
}

function errorOf(issue: z.core.$ZodIssue): WorldFileError {
  if (issue.code === 'unrecognized_keys') {
    const field = fieldOf([...issue.path, issue.keys[0]!]);
    return new WorldFileError(field, 'is not a field of a world file', 'a world file has users: [{ id, login, secret }] and cameras: [{ id, secret, owner, shares }]');
  }
  return new WorldFileError(fieldOf(issue.path), issue.message);
}

/** `['cameras', 3, 'owner']` as `cameras[3].owner`. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  // Never the value itself: a mistyped field may be a secret.
  return typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'true or false' : typeof value;
}
