/**
 * The leak zoo's registry: `--bug NAME` picks one. Each bug is a small, faithful model of a real incident that
 * replaces one or more of the cloud's parts (../seams.ts); `none` is the correct cloud.
 */
import { UsageError } from '../../../src/cli/exit.ts';
import type { CloudBug } from '../seams.ts';

export const BUG_NAMES = ['none', 'wyze-2024', 'chatgpt-2023', 'steam-2015', 'github-2021', 'stale-acl'] as const;
export type BugName = (typeof BUG_NAMES)[number];

const none: CloudBug = { name: 'none', summary: 'the correct cloud: no part replaced' };

/** Bugs whose model is written; the others are named so `--bug` can list them. */
const implemented: Partial<Record<BugName, CloudBug>> = { none };

export function isBugName(name: string): name is BugName {
  return (BUG_NAMES as readonly string[]).includes(name);
}

/** The bug called `name`; a UsageError for an unknown name or one not modelled yet. */
export function resolveBug(name: string): CloudBug {
  if (!isBugName(name)) throw new UsageError(`unknown bug "${name}"`, `choose one of ${BUG_NAMES.join(', ')}`);
  const bug = implemented[name];
  if (!bug) throw new UsageError(`bug "${name}" is not implemented yet`, `choose one of ${Object.keys(implemented).join(', ')}`);
  return bug;
}
