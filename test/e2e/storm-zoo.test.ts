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
  /** The least fleet and length that set the bug off with room to spare on a busy machine. */
  fleet: string[];
  /** What the incident looked like, as the summary counts it. */
  caught(summary: Summary): number;
  why: string;
}

/** One worker process wherever the bug does not care how many drive the fleet: each one started costs seconds of CPU. */
const ONE_WORKER = ['--workers', '1'];

/**
 * Bugs with a trigger of their own (a slow cache, a surge of GETs, concurrent requests), set off by a small fleet in
 * a short run however busy the machine: run at once, since most of a run is its processes starting and its fixed length.
 */
const light: Case[] = [
  { bug: 'chatgpt-2023', scenario: 'cache-brownout', fleet: ['--cameras', '120', '--users', '60', '--duration', '16', ...ONE_WORKER], caught: (s) => s.leaks.bySurface.list + s.leaks.bySurface.cameras + s.leaks.bySurface.stream, why: 'requests reading replies meant for other sessions' },
  { bug: 'github-2021', scenario: 'storm', fleet: ['--cameras', '60', '--users', '30', '--duration', '16', ...ONE_WORKER], caught: (s) => s.leaks.bySurface.list, why: 'event pages computed for whichever request set the shared slot last' },
];

/**
 * Bugs that need the whole fleet up: a reconnect storm of 300 cameras past wyze's lookup pool, the users'
 * surge of camera-list GETs after it, and sockets opened before a revoke or transfer still there when the camera
 * speaks again. One at a time: a starved machine keeps a large fleet from connecting in time, and then nothing storms.
 */
const LARGE = ['--cameras', '300', '--users', '150', '--duration', '20'];
const heavy: Case[] = [
  // The surge of camera-list GETs needs the whole fleet back at once since reconnects keep a device's floor and jitter.
  { bug: 'steam-2015', scenario: 'storm', fleet: [...LARGE, ...ONE_WORKER], caught: (s) => s.leaks.bySurface.cameras, why: 'camera lists served from a cache keyed by URL alone' },
  // Split over 2 workers (one per core, as the default was): the reconnect storm still saturates the lookup pool.
  { bug: 'wyze-2024', scenario: 'storm', fleet: [...LARGE, '--workers', '2'], caught: (s) => Math.min(s.leaks.bySurface.list + s.leaks.bySurface.stream, s.mismatches), why: 'events filed under another account: listed or pushed, with someone else\'s picture' },
  { bug: 'stale-acl', scenario: 'storm', fleet: [...LARGE, ...ONE_WORKER], caught: (s) => s.leaks.bySurface.stream, why: 'pushes to former sharees and owners after revokes and transfers' },
];

function catches({ bug, scenario, fleet, caught, why }: Case): void {
  it(`catches ${bug} under ${scenario}: ${why}`, async () => {
    const out = runDir(bug);
    const result = await stampede(['run', scenario, '--bug', bug, ...fleet, '--seed', '8', '--out', out], { timeoutMs: 270_000 });
    const summary = readSummary(out);
    // The console's first line says why a run was not judged; stderr what happened along the way.
    expect(result.code, `${result.stdout.split('\n')[0]}\n${result.stderr.slice(-2000)}`).toBe(1);
    expect(summary.verdict).toBe('fail');
    expect(caught(summary), JSON.stringify(summary.leaks)).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/\d+ users? (was|were) shown events from cameras that are not theirs/);
  }, 300_000);
}

describe.concurrent('stampede run against the leak zoo: small fleets, at once', () => light.forEach(catches));
describe('stampede run against the leak zoo: the whole fleet, one at a time', () => heavy.forEach(catches));
