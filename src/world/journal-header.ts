/**
 * The journal's first line: how a run was set up, and its world with every secret removed. The run writes it
 * (run/journal.ts) and reporters read it, so it sits at the bottom with the history it heads.
 */
import type { World } from './types.ts';

/** How a run was set up, as its journal header records it. */
export interface RunSettings {
  /** `embedded` or the target's base URL. */
  target: string;
  bug: string;
  cameras: number;
  users: number;
  durationS: number;
  /** The adapter's name; absent in journals from before adapters (the reference protocol). */
  adapter?: string;
  /** What the run left out for want of world hooks, one plain sentence each. */
  notes?: string[];
}

/** The journal's first line. */
export interface JournalHeader {
  type: 'run';
  version: 1;
  startedAt: number;
  scenario: string;
  seed: number;
  /** The command that reproduces the run (no secrets). */
  command: string;
  /** Everything else a report wants to say about the run (target, bug, sizes...). */
  settings: RunSettings & Record<string, unknown>;
  world: World;
}
