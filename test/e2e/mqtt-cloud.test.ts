/**
 * The MQTT camera cloud, stormed through its example adapter (examples/adapters/mqtt.adapter.ts) with a real
 * private Mosquitto broker behind Toxiproxy, every case with the same storm (on one worker process where the number
 * does not matter): correct, it passes; with the broker's
 * ACL missing `%u`, it fails with leaks on the push surface, where that ACL line guards every user's stream; with
 * wyze-2024, the outage's reconnect wave (every camera's birth message asking for its mapping at once) tips the
 * batching cache client over, and users are listed and open events another user's camera took.
 */
import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/report/summary.ts';
import { readSummary, runDir, stampede, type CliResult } from '../helpers/cli.ts';

/**
 * Modest on purpose: 80 cameras and one worker for the cases whose outcome does not hang on load. wyze-2024 needs
 * more than 32 of the cameras' mapping reads in flight at once to saturate its pool: two workers drive 160 cameras
 * for it (80 on two workers caught it with 4 to 46 leaks a run, and once, in a full suite on a busy machine, with none).
 */
async function storm(bug: string, { workers = 1, cameras = 80 } = {}): Promise<{ result: CliResult; summary: Summary }> {
  const out = runDir(`mqtt-${bug}`);
  const fleet = ['--cameras', String(cameras), '--users', String(cameras / 2), '--workers', String(workers)];
  const result = await stampede(['run', 'storm', '--cloud', 'mqtt', '--bug', bug, ...fleet, '--duration', '20', '--seed', '3', '--out', out], { timeoutMs: 170_000 });
  return { result, summary: readSummary(out) };
}

describe('stampede run --cloud mqtt', () => {
  it('passes the correct MQTT cloud through its adapter, every surface checked', async () => {
    const { result, summary } = await storm('none');
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(summary.verdict).toBe('pass');
    expect(result.stdout).toMatch(/--adapter \S+mqtt\.adapter\.ts --cloud mqtt/);
  }, 200_000);

  it('fails mqtt-acl-wildcard with leaks pushed to other users', async () => {
    const { result, summary } = await storm('mqtt-acl-wildcard');
    expect(result.code, result.stderr.slice(-2000)).toBe(1);
    expect(summary.leaks.bySurface.stream).toBeGreaterThan(0);
  }, 200_000);

  it('fails wyze-2024 with other users\' events listed and opened: right label, someone else\'s picture', async () => {
    const { result, summary } = await storm('wyze-2024', { workers: 2, cameras: 160 });
    expect(result.code, result.stderr.slice(-2000)).toBe(1);
    const { list, thumbnail } = summary.leaks.bySurface;
    expect(list + thumbnail, JSON.stringify(summary.leaks)).toBeGreaterThan(0);
    expect(summary.mismatches).toBeGreaterThan(0);
  }, 200_000);
});
