/**
 * The MQTT camera cloud, stormed through its example adapter (examples/adapters/mqtt.adapter.ts) with a real
 * private Mosquitto broker behind Toxiproxy: correct, it passes; with the broker's ACL missing `%u`, the run fails
 * with leaks on the push surface, where that ACL line guards every user's stream.
 */
import { describe, expect, it } from 'vitest';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';

describe('stampede run --cloud mqtt', () => {
  it('passes the correct MQTT cloud through its adapter, every surface checked', async () => {
    const out = runDir('mqtt-correct');
    const result = await stampede(['run', 'storm', '--cloud', 'mqtt', '--cameras', '60', '--users', '30', '--duration', '20', '--seed', '3', '--out', out], { timeoutMs: 150_000 });
    const summary = readSummary(out);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(summary.verdict).toBe('pass');
    expect(result.stdout).toMatch(/--adapter \S+mqtt\.adapter\.ts --cloud mqtt/);
  }, 180_000);

  it('fails mqtt-acl-wildcard with leaks pushed to other users', async () => {
    const out = runDir('mqtt-acl');
    const result = await stampede(['run', 'storm', '--cloud', 'mqtt', '--bug', 'mqtt-acl-wildcard', '--cameras', '60', '--users', '30', '--duration', '20', '--seed', '3', '--out', out], { timeoutMs: 150_000 });
    const summary = readSummary(out);
    expect(result.code, result.stderr.slice(-2000)).toBe(1);
    expect(summary.leaks.bySurface.stream).toBeGreaterThan(0);
  }, 180_000);
});
