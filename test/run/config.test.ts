import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { resolveRunConfig } from '../../src/run/config.ts';
import { isLoopbackHost } from '../../src/protocol/loopback.ts';

const now = new Date('2026-11-28T15:00:00.123Z');

describe('run config', () => {
  it('drives the fleet with one worker per core but one by default (at least one), or the --workers given', () => {
    expect(resolveRunConfig({}, scenarios, now).workers).toBe(Math.max(1, availableParallelism() - 1));
    expect(resolveRunConfig({ workers: '3' }, scenarios, now)).toMatchObject({ workers: 3 });
    expect(resolveRunConfig({ workers: '3' }, scenarios, now).remoteWorkers).toBeUndefined();
    expect(() => resolveRunConfig({ workers: '-1' }, scenarios, now)).toThrow('--workers must be at least 0');
    expect(() => resolveRunConfig({ workers: '2', expectWorkers: '2' }, scenarios, now)).toThrow('--collector-listen and --expect-workers go with --workers 0');
  });

  it('judges workers started elsewhere with --workers 0: where they report, how many, and the token from the environment', () => {
    const judge = { workers: '0', collectorListen: '127.0.0.1:9000', expectWorkers: '4', collectorToken: 'secret' };
    expect(resolveRunConfig(judge, scenarios, now)).toMatchObject({ workers: 0, remoteWorkers: { count: 4, host: '127.0.0.1', port: 9000, token: 'secret' } });
    expect(resolveRunConfig({ ...judge, collectorListen: '[::1]:9000' }, scenarios, now).remoteWorkers?.host).toBe('::1');
    expect(() => resolveRunConfig({ workers: '0' }, scenarios, now)).toThrow('--workers 0 needs --collector-listen HOST:PORT and --expect-workers N');
    expect(() => resolveRunConfig({ ...judge, collectorListen: '9000' }, scenarios, now)).toThrow('is not HOST:PORT');
    expect(() => resolveRunConfig({ ...judge, collectorListen: '0.0.0.0:9000' }, scenarios, now)).toThrow('--collector-listen 0.0.0.0 is not on this machine');
    expect(resolveRunConfig({ ...judge, collectorListen: '0.0.0.0:9000', allowRemote: true }, scenarios, now).remoteWorkers?.host).toBe('0.0.0.0');
    const { collectorToken: _, ...tokenless } = judge;
    expect(() => resolveRunConfig(tokenless, scenarios, now)).toThrow('STAMPEDE_COLLECTOR_TOKEN');
  });

  it('splits the client proxy into one shard per 1,400 clients over a Toxiproxy server per 3,000, or --proxy-shards a server each; a fixed --proxy-listen is one shard', () => {
    expect(resolveRunConfig({ cameras: '100', users: '50' }, scenarios, now)).toMatchObject({ proxyShards: 1, toxiproxyServers: 1 });
    // A shard per 1,400 clients (a port of the embedded cloud each), a Toxiproxy server per 3,000.
    expect(resolveRunConfig({ cameras: '6667', users: '3334' }, scenarios, now)).toMatchObject({ proxyShards: 8, toxiproxyServers: 2 });
    expect(resolveRunConfig({ cameras: '13334', users: '6666' }, scenarios, now)).toMatchObject({ proxyShards: 15, toxiproxyServers: 4 });
    expect(resolveRunConfig({ cameras: '100', users: '50', proxyShards: '3' }, scenarios, now)).toMatchObject({ proxyShards: 3, toxiproxyServers: 3 });
    expect(resolveRunConfig({ cameras: '13334', users: '6666', proxyListen: '127.0.0.1:8080' }, scenarios, now)).toMatchObject({ proxyShards: 1, toxiproxyServers: 1 });
    expect(() => resolveRunConfig({ proxyListen: '127.0.0.1:8080', proxyShards: '2' }, scenarios, now)).toThrow('--proxy-listen fixes the address of a client proxy of one shard');
    expect(() => resolveRunConfig({ proxyShards: '0' }, scenarios, now)).toThrow('--proxy-shards must be at least 1');
  });

  it('puts the client proxy at a fixed --proxy-listen address, on this machine unless --allow-remote', () => {
    expect(resolveRunConfig({}, scenarios, now).proxyListen).toBeUndefined();
    expect(resolveRunConfig({ proxyListen: '127.0.0.1:8080' }, scenarios, now).proxyListen).toEqual({ target: { host: '127.0.0.1', port: 8080 } });
    expect(() => resolveRunConfig({ proxyListen: '8080' }, scenarios, now)).toThrow('--proxy-listen 8080 is not HOST:PORT');
    expect(() => resolveRunConfig({ proxyListen: '0.0.0.0:8080' }, scenarios, now)).toThrow('--proxy-listen 0.0.0.0 is not on this machine');
    expect(resolveRunConfig({ proxyListen: '0.0.0.0:8080', allowRemote: true }, scenarios, now).proxyListen).toEqual({ target: { host: '0.0.0.0', port: 8080 } });
  });

  it('puts each endpoint\'s client proxy at its own --proxy-listen NAME=HOST:PORT, and wants one for every endpoint', () => {
    const mqtt = { spec: '/x/mqtt.adapter.ts', adapter: { name: 'mqtt', endpoints: ['api', 'broker'], users: {}, devices: {} } } as never;
    const config = resolveRunConfig({ cloud: 'mqtt', proxyListen: ['api=127.0.0.1:8080', 'broker=127.0.0.1:1883'] }, scenarios, now, mqtt);
    expect(config.proxyListen).toEqual({ api: { host: '127.0.0.1', port: 8080 }, broker: { host: '127.0.0.1', port: 1883 } });
    expect(() => resolveRunConfig({ cloud: 'mqtt', proxyListen: ['127.0.0.1:8080'] }, scenarios, now, mqtt))
      .toThrow('--proxy-listen: adapter mqtt needs an address for broker too');
    expect(() => resolveRunConfig({ cloud: 'mqtt', proxyListen: ['push=127.0.0.1:8080'] }, scenarios, now, mqtt))
      .toThrow('--proxy-listen push=...: adapter mqtt has no endpoint push');
  });

  it('fills the scenario defaults and names the output folder after the time and scenario', () => {
    const config = resolveRunConfig({ seed: '42' }, scenarios, now);
    expect(config.scenario.name).toBe('storm');
    expect(config.seed).toBe(42);
    expect(config.cameras).toBe(scenarios.get('storm')!.defaults.cameras);
    expect(config.durationMs).toBe(scenarios.get('storm')!.defaults.durationS * 1000);
    expect(config.outDir).toBe('reports/2026-11-28T15-00-00Z-storm');
    expect(config.target).toBeUndefined();
  });

  it('turns each bad flag into one readable line', () => {
    expect(() => resolveRunConfig({ cameras: 'lots' }, scenarios, now)).toThrow('--cameras must be a whole number (got "lots")');
    expect(() => resolveRunConfig({ duration: '2' }, scenarios, now)).toThrow('--duration must be at least 10 seconds');
    expect(() => resolveRunConfig({ scenario: 'tornado' }, scenarios, now)).toThrow('unknown scenario tornado');
    expect(() => resolveRunConfig({ target: 'not a url', adminToken: 't' }, scenarios, now)).toThrow('is not a URL');
    expect(() => resolveRunConfig({ target: 'http://127.0.0.1:8080' }, scenarios, now)).toThrow('--target needs --admin-token');
    expect(() => resolveRunConfig({ adminToken: 't' }, scenarios, now)).toThrow('--admin-token goes with --target');
    expect(() => resolveRunConfig({ target: 'http://127.0.0.1:1', adminToken: 't', bug: 'wyze-2024' }, scenarios, now)).toThrow('--bug only applies');
  });

  it('refuses a remote target unless allowed, and never keeps a trailing slash', () => {
    expect(() => resolveRunConfig({ target: 'http://192.168.1.5:8080', adminToken: 't' }, scenarios, now)).toThrow(
      expect.objectContaining({ message: '--target 192.168.1.5:8080 is not on this machine', hint: expect.stringContaining('--allow-remote') }),
    );
    const remote = resolveRunConfig({ target: 'http://192.168.1.5:8080/', adminToken: 't', allowRemote: true }, scenarios, now);
    expect(remote.target).toEqual({ endpoints: { target: 'http://192.168.1.5:8080' }, adminToken: 't' });
    const local = resolveRunConfig({ target: 'http://[::1]:8080', adminToken: 't' }, scenarios, now);
    expect(local.target?.endpoints.target).toBe('http://[::1]:8080');
  });

  it('guards every address it will talk to: no credentials or whitespace in --target, --toxiproxy on this machine unless allowed', () => {
    expect(() => resolveRunConfig({ target: 'http://u:p@127.0.0.1:8080', adminToken: 't' }, scenarios, now)).toThrow('--target must not carry credentials');
    expect(() => resolveRunConfig({ target: 'http://127.0.0.1:8080\n## PASS', adminToken: 't' }, scenarios, now)).toThrow('must not contain whitespace');
    expect(() => resolveRunConfig({ toxiproxy: 'http://192.0.2.1:8474' }, scenarios, now)).toThrow('--toxiproxy 192.0.2.1:8474 is not on this machine');
    expect(resolveRunConfig({ toxiproxy: 'http://192.0.2.1:8474', allowRemote: true }, scenarios, now).toxiproxyUrl).toBe('http://192.0.2.1:8474');
    expect(resolveRunConfig({ toxiproxy: 'http://[::1]:8474' }, scenarios, now).toxiproxyUrl).toBe('http://[::1]:8474');
  });

  it('counts only this machine as loopback', () => {
    for (const host of ['127.0.0.1', '127.3.2.1', '::1', '[::1]', 'localhost']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['10.0.0.1', '128.0.0.1', '127.0.0.1.example.com', '::2', 'example.com']) expect(isLoopbackHost(host)).toBe(false);
  });
});
