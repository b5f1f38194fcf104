/**
 * The leak zoo's registry: `--bug NAME` picks one. Each bug is a small, faithful model of a real incident that
 * replaces one or more of the cloud's parts (../seams.ts); `none` is the correct cloud.
 */
import { UsageError } from '../../../src/errors.ts';
import type { CloudBug } from '../seams.ts';
import { chatgpt2023 } from './chatgpt-2023.ts';
import { github2021 } from './github-2021.ts';
import { staleAcl } from './stale-acl.ts';
import { steam2015 } from './steam-2015.ts';
import { wyze2024 } from './wyze-2024.ts';

export const BUG_NAMES = ['none', 'wyze-2024', 'chatgpt-2023', 'steam-2015', 'github-2021', 'stale-acl'] as const;
export type BugName = (typeof BUG_NAMES)[number];

const none: CloudBug = { name: 'none', summary: 'the correct cloud: no part replaced' };

const bugs: Record<BugName, CloudBug> = {
  none,
  'wyze-2024': wyze2024,
  'chatgpt-2023': chatgpt2023,
  'steam-2015': steam2015,
  'github-2021': github2021,
  'stale-acl': staleAcl,
};

export function isBugName(name: string): name is BugName {
  return (BUG_NAMES as readonly string[]).includes(name);
}

/** The bug called `name`; a UsageError for an unknown name. */
export function resolveBug(name: string): CloudBug {
  if (!isBugName(name)) throw new UsageError(`unknown bug "${name}"`, `choose one of ${BUG_NAMES.join(', ')}`);
  return bugs[name];
}
