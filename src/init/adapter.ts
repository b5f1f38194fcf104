/**
 * The adapter scaffold `stampede init adapter NAME` writes: the commented template (adapter-template.ts, which
 * the project type-checks, so the scaffold always compiles against the current contract) with its name replaced.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.ts';

const TEMPLATE = new URL('./adapter-template.ts', import.meta.url);
const TEMPLATE_NAME = 'my-backend';
/** Adapter names appear in file names, errors and reports. */
const NAME = /^[a-z][a-z0-9_-]{0,39}$/;

export function checkAdapterName(name: string): string {
  if (!NAME.test(name)) {
    throw new UsageError(`adapter name ${JSON.stringify(name)} is not usable`, 'use lower-case letters, digits, "-" and "_", starting with a letter (at most 40)');
  }
  return name;
}

/** The scaffold's source for `name`. */
export async function adapterScaffold(name: string): Promise<string> {
  const template = await readFile(TEMPLATE, 'utf8');
  return template.split(TEMPLATE_NAME).join(checkAdapterName(name));
}
