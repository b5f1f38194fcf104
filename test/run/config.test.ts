import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { resolveRunConfig } from '../../src/run/config.ts';
import { isLoopbackHost } from '../../src/protocol/loopback.ts';

const now = new Date('2026-11-28T15:00:00.123Z');

describe('run config', () => {
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
    expect(remote.target).toEqual({ url: 'http://192.168.1.5:8080', adminToken: 't' });
    const local = resolveRunConfig({ target: 'http://[::1]:8080', adminToken: 't' }, scenarios, now);
    expect(local.target?.url).toBe('http://[::1]:8080');
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
