/**
 * A target mounted under a path prefix (`--target http://host/api`): admin calls, the simulated cameras (device
 * WebSocket) and users (HTTP and stream WebSocket) all keep the prefix, through the client proxy too, so the
 * storm checks items exactly as it does on a bare target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSummary, runDir, stampede } from '../helpers/cli.ts';
import { spawnCloudCli, type CloudProcess } from '../helpers/cloud.ts';
import { startPrefixForwarder, type PrefixForwarder } from '../helpers/prefix-forwarder.ts';

const TOKEN = 'prefix-target-admin-token-8b3e';
let cloud: CloudProcess;
let mounted: PrefixForwarder;

beforeAll(async () => {
  cloud = await spawnCloudCli(['--admin-token', TOKEN]);
  mounted = await startPrefixForwarder(new URL(cloud.url), '/api');
});
afterAll(async () => {
  await mounted?.stop();
  cloud?.child.kill('SIGTERM');
  await cloud?.exited;
});

describe('stampede run --target with a path prefix', () => {
  it('storms the target under /api: cameras and users reach it, items are checked, nothing misses the prefix', async () => {
    const out = runDir('prefix');
    const result = await stampede(['run', 'storm', '--target', mounted.url, '--admin-token', TOKEN, '--cameras', '20', '--users', '10', '--duration', '20', '--seed', '11', '--quiet', '--out', out]);
    const summary = readSummary(out);
    expect(mounted.misses(), result.stderr.slice(-2000)).toBe(0);
    expect(summary.checked.total, result.stderr.slice(-2000)).toBeGreaterThan(0);
    expect(summary.target).toBe(mounted.url);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(summary.verdict).toBe('pass');
  }, 120_000);
});
