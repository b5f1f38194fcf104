/** The nemesis against a real toxiproxy-server: schedule, history records, and healing on every way out. */
import { createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { Nemesis, stepsFromPhases, type FaultStep } from '../../src/chaos/nemesis.ts';
import { createRunProxies, type RunProxies } from '../../src/chaos/run-proxies.ts';
import { ToxiproxyClient, type ProxyInfo } from '../../src/chaos/toxiproxy.ts';
import { freePort } from '../../src/services/ports.ts';
import { MemoryRecorder } from './helpers/recorder.ts';
import { startEchoServer, startToxiproxyFixture, type EchoServer, type ToxiproxyFixture } from './helpers/toxiproxy.ts';

let toxiproxy: ToxiproxyFixture;
let echo: EchoServer;
let proxies: RunProxies;

beforeAll(async () => {
  toxiproxy = await startToxiproxyFixture();
  echo = await startEchoServer();
}, 30_000);
afterAll(async () => {
  await echo?.close();
  await toxiproxy?.stop();
});
beforeEach(async () => {
  proxies = await createRunProxies(toxiproxy.client, { client: { upstream: echo.upstream }, cache: { upstream: '127.0.0.1:6379' } });
});
afterEach(async () => {
  await proxies.remove();
});

async function proxyState(): Promise<{ client: ProxyInfo | undefined; cache: ProxyInfo | undefined }> {
  const all = await toxiproxy.client.listProxies();
  return { client: all.find((p) => p.name === proxies.shards[0]!.name), cache: all.find((p) => p.name === proxies.cache?.name) };
}

async function expectAllClean(): Promise<void> {
  const state = await proxyState();
  expect(state.client).toMatchObject({ enabled: true, toxics: [] });
  expect(state.cache).toMatchObject({ enabled: true, toxics: [] });
}

/** Waits, bounded, until the recorder holds `count` fault starts. */
async function untilStarted(recorder: MemoryRecorder, count: number): Promise<void> {
  for (let i = 0; i < 500 && recorder.faults().filter((r) => r.action === 'start').length < count; i++) await sleep(10);
  expect(recorder.faults().filter((r) => r.action === 'start')).toHaveLength(count);
}

function nemesisFor(steps: FaultStep[], recorder: MemoryRecorder, extra: { deadline?: number; signal?: AbortSignal } = {}): Nemesis {
  return new Nemesis({ steps, proxies: proxies.controls, recorder, deadline: extra.deadline ?? 20_000, signal: extra.signal });
}

describe('nemesis schedule', () => {
  it('applies each fault at its time, heals it after its duration, and records start/heal pairs in order', async () => {
    const recorder = new MemoryRecorder();
    const nemesis = nemesisFor(
      [
        { at: 0, duration: 1_500, fault: 'latency', path: 'client', latencyMs: 100 },
        { at: 100, duration: 2_000, fault: 'outage', path: 'cache' },
      ],
      recorder,
    );
    const running = nemesis.run();
    await untilStarted(recorder, 2);
    // The outage's apply call is still in flight right after its start record; wait (bounded) for it to land.
    let during = await proxyState();
    for (let i = 0; i < 50 && during.cache?.enabled !== false; i++) during = await sleep(20).then(proxyState);
    expect(during.client?.toxics.map((t) => t.type)).toEqual(['latency']);
    expect(during.cache?.enabled).toBe(false);

    const summary = await running;
    expect(summary).toEqual({ applied: 2, healed: 2, failures: 0, unhealed: [] });
    const faults = recorder.faults();
    expect(faults.map((r) => [r.action, r.fault, r.path])).toEqual([
      ['start', 'latency', 'client'],
      ['start', 'outage', 'cache'],
      ['heal', 'latency', 'client'],
      ['heal', 'outage', 'cache'],
    ]);
    expect(faults[0]?.id).toBe(faults[2]?.id);
    expect(faults[1]?.id).toBe(faults[3]?.id);
    expect(faults[0]?.id).not.toBe(faults[1]?.id);
    expect(faults[0]?.detail).toEqual({ latencyMs: 100, jitterMs: 0, stream: 'downstream', toxicity: 1 });
    const times = faults.map((r) => r.t);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(recorder.errors()).toEqual([]);
    await expectAllClean();
  });

  it('heals everything when aborted mid-schedule and starts nothing after', async () => {
    const recorder = new MemoryRecorder();
    const abort = new AbortController();
    const nemesis = nemesisFor(
      [
        { at: 0, fault: 'latency', path: 'client', latencyMs: 200, stream: 'both' },
        { at: 0, duration: 60_000, fault: 'timeout', path: 'cache', timeoutMs: 0 },
        { at: 50, duration: 60_000, fault: 'outage', path: 'client' },
        { at: 30_000, duration: 1_000, fault: 'reset-peer', path: 'client' },
      ],
      recorder,
      { deadline: 120_000, signal: abort.signal },
    );
    const running = nemesis.run();
    await untilStarted(recorder, 3);
    abort.abort();
    const summary = await running;
    expect(summary).toMatchObject({ applied: 3, healed: 3, failures: 0, unhealed: [] });
    expect(recorder.faults().filter((r) => r.action === 'heal').map((r) => r.fault).sort()).toEqual(['latency', 'outage', 'timeout']);
    expect(recorder.faults().some((r) => r.fault === 'reset-peer')).toBe(false);
    await expectAllClean();
  });

  it('healAll from outside (a Ctrl-C handler) is idempotent and stops the schedule', async () => {
    const recorder = new MemoryRecorder();
    const nemesis = nemesisFor(
      [
        { at: 0, fault: 'outage', path: 'client' },
        { at: 0, fault: 'bandwidth', path: 'cache', rateKBps: 10 },
        { at: 20_000, fault: 'latency', path: 'cache' },
      ],
      recorder,
      { deadline: 60_000 },
    );
    const running = nemesis.run();
    await untilStarted(recorder, 2);
    await Promise.all([nemesis.healAll(), nemesis.healAll()]);
    await nemesis.healAll();
    await expectAllClean();
    const summary = await running;
    expect(summary).toMatchObject({ applied: 2, healed: 2, unhealed: [] });
    expect(recorder.faults().filter((r) => r.action === 'heal')).toHaveLength(2);
  });

  it('ends at its deadline, healing open-ended faults and skipping later steps', async () => {
    const recorder = new MemoryRecorder();
    const nemesis = nemesisFor(
      [
        { at: 0, fault: 'slicer', path: 'client' },
        { at: 10_000, duration: 100, fault: 'outage', path: 'client' },
      ],
      recorder,
      { deadline: 300 },
    );
    const summary = await nemesis.run();
    expect(summary).toMatchObject({ applied: 1, healed: 1, unhealed: [] });
    expect(recorder.faults().map((r) => [r.action, r.fault])).toEqual([
      ['start', 'slicer'],
      ['heal', 'slicer'],
    ]);
    await expectAllClean();
  });
});

describe('nemesis failures', () => {
  it('records a failed apply as not applied, never as a start, and still cleans up after it', async () => {
    // The toxic the nemesis is about to add already exists, so Toxiproxy refuses the apply with 409.
    await toxiproxy.client.addToxic(proxies.shards[0]!.name, { name: 'f1-latency-downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1_000 } });
    const recorder = new MemoryRecorder();
    const summary = await nemesisFor([{ at: 0, duration: 100, fault: 'latency', path: 'client' }], recorder).run();
    expect(summary).toMatchObject({ applied: 0, healed: 0, failures: 1, unhealed: [] });
    expect(recorder.records.map((r) => (r.type === 'fault' ? r.action : r.type))).toEqual(['error', 'apply-failed']);
    expect(recorder.errors()[0]?.message).toMatch(/apply latency f1-latency on the client proxy.*409/);
    expect(recorder.faults()[0]?.message).toMatch(/409/);
    await expectAllClean();
  });

  it('records a heal Toxiproxy refused as failed, not as a missing heal', async () => {
    const own = await createRunProxies(toxiproxy.client, { client: { upstream: echo.upstream } });
    const recorder = new MemoryRecorder();
    const nemesis = new Nemesis({ steps: [{ at: 0, duration: 300, fault: 'outage', path: 'client' }], proxies: own.controls, recorder, deadline: 5_000, healRetryMs: 50 });
    const running = nemesis.run();
    await untilStarted(recorder, 1);
    // Toxiproxy loses the proxy under the fault (as when it is restarted): the heal cannot be confirmed.
    await toxiproxy.client.deleteProxy(own.shards[0]!.name);
    const summary = await running;
    expect(summary).toMatchObject({ applied: 1, healed: 0, unhealed: ['f1-outage'] });
    const actions = recorder.faults().map((r) => r.action);
    expect(actions[0]).toBe('start');
    expect(actions.slice(1).every((action) => action === 'heal-failed')).toBe(true);
    expect(actions.length).toBeGreaterThan(1);
  });

  it('survives a Toxiproxy that never answers: errors recorded, fault reported unhealed, no rejection', async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => void held.push(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen({ host: '127.0.0.1', port }, resolve));
    try {
      const stuck = new ToxiproxyClient(`http://127.0.0.1:${port}`, 300);
      const recorder = new MemoryRecorder();
      const nemesis = new Nemesis({ steps: [{ at: 0, duration: 50, fault: 'outage', path: 'client' }], proxies: { client: stuck.control('nowhere') }, recorder, deadline: 5_000, healRetryMs: 50 });
      const summary = await nemesis.run();
      expect(summary).toMatchObject({ applied: 0, healed: 0, unhealed: ['f1-outage'] });
      expect(summary.failures).toBeGreaterThanOrEqual(2);
      expect(recorder.errors().every((r) => r.source === 'nemesis' && /no answer within 300 ms/.test(r.message))).toBe(true);
      // Never confirmed, so never recorded as applied.
      expect(recorder.faults().map((r) => r.action)).toEqual(['apply-failed']);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('nemesis schedule validation', () => {
  const recorder = new MemoryRecorder();
  const make = (steps: unknown, only: 'client' | 'both' = 'both') =>
    new Nemesis({ steps, proxies: only === 'client' ? { client: proxies.shards[0]!.control } : proxies.controls, recorder, deadline: 1_000 });

  it('rejects a malformed step naming the step and the field', () => {
    const bad = [
      { at: 0, duration: 100, fault: 'outage', path: 'client' },
      { at: 10, duration: 100, fault: 'latency', path: 'cache', latencyMs: 'slow' },
    ];
    expect(() => make(bad)).toThrow(UsageError);
    expect(() => make(bad)).toThrow(/step 2 \(latency\): field "latencyMs"/);
  });

  it('rejects an unknown fault, a negative time and an unknown field', () => {
    expect(() => make([{ at: 0, fault: 'earthquake', path: 'client' }])).toThrow(/step 1: field "fault" is "earthquake", expected one of outage, latency/);
    expect(() => make([{ at: -5, fault: 'outage', path: 'client' }])).toThrow(/step 1: field "at"/);
    expect(() => make([{ at: 0, fault: 'latency', path: 'client', latency: 300 }])).toThrow(/step 1 \(latency\): unknown field "latency"/);
    expect(() => make('outage')).toThrow(/must be a list of steps/);
  });

  it('rejects a step on a proxy the run does not have, and overlapping outages', () => {
    expect(() => make([{ at: 0, fault: 'latency', path: 'cache' }], 'client')).toThrow(/step 1 needs the cache proxy/);
    const overlapping = [
      { at: 0, duration: 1_000, fault: 'outage', path: 'client' },
      { at: 500, duration: 1_000, fault: 'outage', path: 'client' },
    ];
    expect(() => make(overlapping)).toThrow(/step 2: its outage overlaps the outage of step 1/);
  });

  it('rejects a deadline that is not a sane time', () => {
    for (const deadline of [Number.NaN, -1, 30 * 24 * 3_600_000]) {
      expect(() => new Nemesis({ steps: [], proxies: proxies.controls, recorder, deadline })).toThrow(/nemesis deadline .* is not between 0 and 7 days/);
    }
  });

  it('names the phase of a bad fault planned by phase', () => {
    const steps = stepsFromPhases([
      { name: 'warm-up', startMs: 0, endMs: 1_000, faults: [] },
      { name: 'brownout', startMs: 1_000, endMs: 3_000, faults: [{ fault: 'slicer', path: 'client', averageSize: 10, sizeVariation: 10 }] },
    ]);
    expect(steps).toMatchObject([{ at: 1_000, duration: 2_000, label: 'phase brownout, fault 1' }]);
    expect(() => make(steps)).toThrow(/phase brownout, fault 1 \(slicer\): field "sizeVariation": must be smaller than averageSize/);
  });
});
