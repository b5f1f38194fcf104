import type { BySurface } from '../oracle/verdict.ts';

/**
 * A running storm as its watchers see it (the progress display, the metrics endpoint): figures read on demand,
 * never pushed, so a slow watcher cannot slow the run.
 */
export interface LiveRun {
  scenario: string;
  startedAt: number;
  endsAt: number;
  /** The current phase's name, '-' before the first. */
  phase(): string;
  cameras: { total: number; connected(): number };
  users: { total: number; loggedIn(): number };
  /** Records seen so far, by type (acked, sent, shown, error...). */
  count(type: string): number;
  /** The live oracle's counters; `judged` is false until the oracle's settle delay has passed any item checked. */
  checks(): { checked: number; leaks: number; unknown: number; judged: boolean };
  /** The live oracle's items checked and leaks so far, by surface. */
  surfaces(): { checked: BySurface; leaks: BySurface };
  /** Faults in force now, as `fault@path`. */
  activeFaults(): string[];
}

/** Something that watches a live run until stopped. */
export type Watcher = (live: LiveRun) => () => void;
