/**
 * Every leak-zoo fault, stormed through the real CLI, real Toxiproxy and real Redis with the scenario that
 * reproduces its incident's trigger, fails the run (exit 1) with leaks on the surface the incident leaked through.
 */
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/report/summary.ts';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';

interface Case {
  bug: string;
  scenario: string;
  /** What the incident looked like, as the summary counts it. */
  caught(summary: Summary): number;
  why: string;
}

const cases: Case[] = [
  { bug: 'wyze-2024', scenario: 'storm', caught: (s) => Math.min(s.leaks.bySurface.list + s.leaks.bySurface.stream, s.mismatches), why: 'events filed under another account: listed or pushed, with someone else\'s picture' },
  { bug: 'chatgpt-2023', scenario: 'cache-brownout', caught: (s) => s.leaks.bySurface.list + s.leaks.bySurface.cameras + s.leaks.bySurface.stream, why: 'requests reading replies meant for other sessions' },
  { bug: 'steam-2015', scenario: 'storm', caught: (s) => s.leaks.bySurface.cameras, why: 'camera lists served from a cache keyed by URL alone' },
  { bug: 'github-2021', scenario: 'storm', caught: (s) => s.leaks.bySurface.list, why: 'event pages computed for whichever request set the shared slot last' },
  { bug: 'stale-acl', scenario: 'storm', caught: (s) => s.leaks.bySurface.stream, why: 'pushes to former sharees and owners after revokes and transfers' },
];

describe('stampede run against the leak zoo', () => {
  for (const { bug, scenario, caught, why } of cases) {
    it(`catches ${bug} under ${scenario}: ${why}`, async () => {
      const out = runDir(bug);
      const result = await stampede(['run', scenario, '--bug', bug, '--cameras', '300', '--users', '150', '--duration', '30', '--seed', '8', '--out', out], {
        timeoutMs: 150_000,
      });
      const summary = readSummary(out);
      expect(result.code, result.stderr.slice(-2000)).toBe(1);
      expect(summary.verdict).toBe('fail');
      expect(caught(summary), JSON.stringify(summary.leaks)).toBeGreaterThan(0);
      expect(result.stdout).toMatch(/\d+ users? (was|were) shown events from cameras that are not theirs/);
    }, 180_000);
  }
});
