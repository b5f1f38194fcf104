/**
 * `conform --adapter FILE` through the real CLI against the MQTT camera cloud and its worked-example adapter: the
 * correct cloud passes every area the adapter can express (and the one it cannot is a skip naming the hook); the
 * cloud whose broker ACL lost its `%u` fails in the push area; an adapter whose hooks throw or answer the wrong
 * shape gives error lines naming the adapter and the hook, never a pass, and exit 3.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqttAdapter from '../../examples/adapters/mqtt.adapter.ts';
import type { WorldSeedView } from '../../src/adapter/types.ts';
import { startMqttCloud, type RunningMqttCloud } from '../../simulators/mqtt-cloud/index.ts';
import { REDIS_URL } from '../helpers/cloud.ts';
import { runStampede } from './cli.ts';

const ADMIN_TOKEN = 'conform-adapter-admin-key-3c9a71';
const MQTT_ADAPTER = fileURLToPath(new URL('../../examples/adapters/mqtt.adapter.ts', import.meta.url));
const FAULTY_ADAPTER = fileURLToPath(new URL('./adapters/faulty.adapter.ts', import.meta.url));
/** The accounts the faulty adapter's cloud holds: it has no world.seed, so conform takes them from --world. */
const PROVISIONED: WorldSeedView = {
  runId: 'provisioned',
  users: [
    { id: 'u-ann', login: 'ann@example.test', secret: 'ann-passphrase-7f3e' },
    { id: 'u-ben', login: 'ben@example.test', secret: 'ben-passphrase-1d9c' },
  ],
  cameras: [
    { id: 'cam-ann', secret: 'cam-ann-secret-55e1', owner: 'u-ann', shares: [] },
    { id: 'cam-ben', secret: 'cam-ben-secret-83a0', owner: 'u-ben', shares: [] },
  ],
};
const TALLY = /^(\d+) passed, (\d+) failed, (\d+) warnings?, (\d+) skipped(?:, (\d+) errors? \(no verdict\))?$/m;
// The cloud applies access changes at once: a short grace window keeps the run short without making it lenient.
// Calls get a generous timeout, which costs a passing run nothing, for a machine loaded by other work.
const GRACE = ['--grace-ms', '500', '--timeout-ms', '15000'];
/** How long one conform may take on a loaded machine before it is killed; the tests' own bound is above it. */
const CLI_MS = 240_000;
const TEST_MS = 300_000;

/** Each result line as [area, mark, expectation]: areas are the unindented lines, results the indented ones. */
function resultsOf(stdout: string): [string, string, string][] {
  const results: [string, string, string][] = [];
  let area = '';
  for (const line of stdout.split('\n')) {
    const result = /^ {2}(pass|FAIL|warn|skip|ERR!) {2}(.+)$/.exec(line);
    if (result) results.push([area, result[1]!, result[2]!]);
    else if (/^\S/.test(line) && !TALLY.test(line)) area = line;
  }
  return results;
}

/** `--target` flags for a cloud's endpoints, by the MQTT adapter's names. */
function targetsOf(cloud: RunningMqttCloud | undefined): string[] {
  return ['--target', `api=${cloud!.endpoints.api}`, '--target', `broker=${cloud!.endpoints.broker}`];
}

// Each test has a cloud of its own (conform replaces a cloud's world), so the three run side by side.
describe.concurrent('stampede conform --adapter against the MQTT camera cloud', () => {
  let correct: RunningMqttCloud | undefined;
  let forFaulty: RunningMqttCloud | undefined;
  let wildcard: RunningMqttCloud | undefined;

  beforeAll(async () => {
    [correct, forFaulty, wildcard] = await Promise.all(['none', 'none', 'mqtt-acl-wildcard'].map((bug) =>
      startMqttCloud({ adminToken: ADMIN_TOKEN, redisUrl: REDIS_URL, bug })));
    const ctx = { endpoints: forFaulty!.endpoints, signal: new AbortController().signal, timeoutMs: 10_000, options: { adminToken: ADMIN_TOKEN } };
    await mqttAdapter.world!.seed!(ctx, PROVISIONED);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([correct, forFaulty, wildcard].map((cloud) => cloud?.stop()));
  });

  it('passes the correct cloud in every area its adapter expresses, listing what it cannot as a skip', async () => {
    const outcome = await runStampede(['conform', '--adapter', MQTT_ADAPTER, ...targetsOf(correct), ...GRACE], { STAMPEDE_ADMIN_TOKEN: ADMIN_TOKEN }, CLI_MS);
    const results = resultsOf(outcome.stdout);
    expect(results.filter(([, mark]) => mark !== 'pass' && mark !== 'skip'), outcome.stdout + outcome.stderr).toEqual([]);
    const areas = new Set(results.filter(([, mark]) => mark === 'pass').map(([area]) => area));
    expect([...areas]).toEqual(['login', 'cameras', 'device', 'events', 'thumbnails', 'push', 'share and revoke', 'transfer']);
    expect(results.filter(([, mark]) => mark === 'skip').map(([, , name]) => name)).toEqual(['another user\'s probe of the event is refused']);
    expect(outcome.stdout).toContain('adapter mqtt-cloud has no users.probe');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout + outcome.stderr).not.toContain(ADMIN_TOKEN);
  }, TEST_MS);

  it('fails the cloud whose broker ACL lost %u in the push area: each user\'s channel delivers the other\'s events', async () => {
    const outcome = await runStampede(['conform', '--adapter', MQTT_ADAPTER, ...targetsOf(wildcard), ...GRACE], { STAMPEDE_ADMIN_TOKEN: ADMIN_TOKEN }, CLI_MS);
    const failed = resultsOf(outcome.stdout).filter(([, mark]) => mark === 'FAIL').map(([area, , name]) => [area, name]);
    expect(failed, outcome.stdout + outcome.stderr).toContainEqual(['push', 'alice\'s channel delivers no event of a camera she cannot see']);
    expect(failed).toContainEqual(['push', 'bob\'s channel delivers no event of a camera he cannot see']);
    // Everything the broker's ACL does not guard still holds.
    expect(failed.every(([area]) => area === 'push' || area === 'share and revoke'), outcome.stdout).toBe(true);
    expect(outcome.code).toBe(1);
  }, TEST_MS);

  it('gives an error line naming the adapter and hook for a hook that throws or answers the wrong shape, never a pass', async () => {
    // The adapter has no world.seed: the accounts come from a world file, one secret by reference.
    const worldFile = join(mkdtempSync(join(tmpdir(), 'conform-world-')), 'world.json');
    const [ann, ben] = PROVISIONED.users;
    writeFileSync(worldFile, JSON.stringify({ users: [{ ...ann, secret: '${ANN_SECRET}' }, ben], cameras: PROVISIONED.cameras }));
    const outcome = await runStampede(['conform', '--adapter', FAULTY_ADAPTER, '--world', worldFile, ...targetsOf(forFaulty), ...GRACE], { ANN_SECRET: ann!.secret }, CLI_MS);
    const results = resultsOf(outcome.stdout);
    const byArea = (area: string) => results.filter(([where]) => where === area).map(([, mark]) => mark);
    expect(byArea('events').every((mark) => mark === 'ERR!'), outcome.stdout + outcome.stderr).toBe(true);
    expect(byArea('cameras').every((mark) => mark === 'ERR!'), outcome.stdout).toBe(true);
    expect(outcome.stdout).toContain('adapter faulty-hooks: users.events threw Error: feed parser exploded');
    expect(outcome.stdout).toContain('adapter faulty-hooks: users.cameras returned camera');
    // What it lacks is skipped, naming the hook; what works still passes.
    expect(outcome.stdout).toContain('adapter faulty-hooks has no users.push');
    expect(outcome.stdout).toContain('adapter faulty-hooks has no world.share or world.revoke');
    expect(byArea('login').every((mark) => mark === 'pass'), outcome.stdout).toBe(true);
    expect(byArea('device').every((mark) => mark === 'pass'), outcome.stdout).toBe(true);
    for (const secret of [ann!.secret, ben!.secret, ...PROVISIONED.cameras.map((camera) => camera.secret)]) expect(outcome.stdout + outcome.stderr).not.toContain(secret);
    const [, , failed, , , errors] = TALLY.exec(outcome.stdout) ?? [];
    expect(failed).toBe('0');
    expect(Number(errors)).toBeGreaterThanOrEqual(byArea('events').length + byArea('cameras').length);
    expect(outcome.code).toBe(3);
  }, TEST_MS);

  it('refuses a --cloud bug the cloud does not have in one line, before starting anything', async () => {
    const outcome = await runStampede(['conform', '--cloud', 'mqtt', '--bug', 'stale-acl'], {}, CLI_MS);
    expect(outcome.stderr.trim().split('\n'), outcome.stderr).toHaveLength(1);
    expect(outcome.stderr).toMatch(/--cloud mqtt has no bug stale-acl: pick one of none, wyze-2024, mqtt-acl-wildcard/);
    expect(outcome.code).toBe(2);
  }, TEST_MS);
});
