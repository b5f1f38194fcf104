/**
 * The world's app users: names from faker, e-mails unique by construction (they carry the user's number) under
 * a run-specific domain in the reserved `.test` TLD, and passwords that look like a password manager's.
 */
import { userId } from './ids.ts';
import type { NameSource } from './names.ts';
import type { Random } from './random.ts';
import type { User } from './types.ts';

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
// Symbols that need no escaping in JSON, URLs' userinfo aside, or a shell inside single quotes.
const SYMBOLS = '!#%+-.:=?@^_~';
const PASSWORD_LENGTH = 20;

export function generateUsers(count: number, runId: string, names: NameSource, random: Random): User[] {
  const domain = `${runId}.stampede.test`;
  const users: User[] = [];
  for (let index = 0; index < count; index++) {
    const first = names.firstName();
    const last = names.lastName();
    const id = userId(index);
    users.push({
      userId: id,
      email: `${emailPart(first)}.${emailPart(last)}.${id}@${domain}`,
      password: password(random),
      name: `${first} ${last}`,
    });
  }
  return users;
}

/** Lower-case ASCII letters and digits only: faker's names carry apostrophes and hyphens (O'Keefe, Stehr-Grimes). */
function emailPart(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return cleaned === '' ? 'user' : cleaned;
}

/** Every character class at least once, at seeded positions, so any reasonable password policy accepts it. */
function password(random: Random): string {
  const classes = [LOWER, UPPER, DIGITS, SYMBOLS];
  const chars = random.text(PASSWORD_LENGTH - classes.length, LOWER + UPPER + DIGITS + SYMBOLS).split('');
  for (const alphabet of classes) chars.splice(random.below(chars.length + 1), 0, random.text(1, alphabet));
  return chars.join('');
}
