/**
 * The correct reference cloud, stormed through the real CLI, real Toxiproxy and real Redis under every scenario
 * that fits in a test: zero leaks, and enough observed that the pass is earned. (That the same seed gives the same
 * world and schedule is checked on the runs of workers.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWorkers } from '../../src/run/config.ts';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';

const SMALL = ['--cameras', '80', '--users', '40', '--seed', '11'];

/** The storm runs the default fleet split; the others one worker, fewer processes to start at once. */
const runs = [['storm', '24', defaultWorkers()], ['cache-brownout', '24', 1], ['flapping', '30', 1]] as const;

describe.concurrent('stampede run against the correct cloud', () => {
  for (const [scenario, duration, workers] of runs) {
    it(`${scenario}: passes with zero leaks, having checked every surface`, async () => {
      const out = runDir(scenario);
      const split = workers === defaultWorkers() ? [] : ['--workers', String(workers)];
      // Three runs at once start several processes each: give them room on a loaded machine.
      const result = await stampede(['run', scenario, ...SMALL, '--duration', duration, ...split, '--out', out], { timeoutMs: 270_000 });
      const summary = readSummary(out);
      expect(summary.leaks.total, result.stdout).toBe(0);
      expect(result.code, result.stderr.slice(-3000)).toBe(0);
      expect(summary.verdict).toBe('pass');
      expect(result.stdout).toContain('PASS');
      for (const surface of ['list', 'stream', 'thumbnail', 'cameras'] as const) expect(summary.checked[surface]).toBeGreaterThan(0);
      expect(summary.events.acked).toBeGreaterThan(0);
      expect(summary.events.lost).toBe(0);
      expect(summary.probes.sent).toBeGreaterThan(0);
      expect(summary.probes.notRefused).toBe(0);
      expect(summary.faults.length).toBeGreaterThan(0);
      expect(summary.faults.every((fault) => fault.heal !== null)).toBe(true);
      expect(readFileSync(join(out, 'journal.ndjson'), 'utf8').split('\n').length).toBeGreaterThan(100);
      // One engine, so nothing names one; the fleet is split across its workers, each fully delivered.
      expect(summary).not.toHaveProperty('engine');
      expect(summary.command).not.toContain('--engine');
      expect(summary.workers).toHaveLength(workers);
      expect(summary.workers!.every((share) => share.recordsSent === share.recordsReceived)).toBe(true);
    }, 300_000);
  }
});
