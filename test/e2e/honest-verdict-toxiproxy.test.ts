/**
 * Never a false pass when Toxiproxy dies: killed under the storm's outage, the run is an error naming it, the
 * outage's heal is said to have failed, the next fault is said never to have been applied, and reconnect is
 * unknown. Alone in its file: the kill must land inside the outage phase of its own run.
 */
import { describe, expect, it } from 'vitest';
import { ToxiproxyClient } from '../../src/chaos/toxiproxy.ts';
import { startToxiproxy, type ToxiproxyServer } from '../../src/services/toxiproxy-server.ts';
import { readSummary, runDir } from '../helpers/cli.ts';
import { proxiesOnce } from '../helpers/run-events.ts';
import { expectError, FLEET, headline, run } from '../helpers/unjudged-run.ts';

describe('a run whose Toxiproxy died never passes', () => {
  it('Toxiproxy killed under the outage: error naming it; the outage\'s heal failed and the next fault was never applied', async ({ onTestFinished }) => {
    let toxiproxy: ToxiproxyServer | undefined = await startToxiproxy();
    onTestFinished(() => toxiproxy?.stop());
    const out = runDir('toxiproxy-killed');
    const client = new ToxiproxyClient(toxiproxy.url);
    const result = await run(['run', 'storm', '--toxiproxy', toxiproxy.url, ...FLEET, '--out', out], async (child) => {
      // Under the outage: the run's client proxy disabled in Toxiproxy now (its journal says so only later, in time order).
      await proxiesOnce(client, (proxies) => proxies.some((p) => p.name.startsWith(`stampede-pid${child.pid}-`) && p.name.endsWith('-client') && !p.enabled), 'the outage');
      process.kill(toxiproxy!.pid!, 'SIGKILL');
      await toxiproxy!.exited;
      toxiproxy = undefined;
    });
    expectError(result, out);
    const summary = readSummary(out);
    expect(summary.shortfalls).toContainEqual(expect.stringMatching(/^Toxiproxy at http:\/\/127\.0\.0\.1:\d+ went down during the run: 3 health probes in a row failed/));
    expect(headline(result)).toMatch(/^ERROR: Toxiproxy at http:\/\/127\.0\.0\.1:\d+ went down during the run/);
    // The outage was applied (Toxiproxy confirmed it) but never healed: said so, not a silent null.
    const outage = summary.faults.find((fault) => fault.fault === 'outage');
    expect(outage).toMatchObject({ heal: null, state: 'heal-failed' });
    expect(summary.shortfalls).toContainEqual(expect.stringMatching(/^fault f1-outage \(phase outage, fault 1\) was applied but its heal failed: Toxiproxy/));
    // The storm's cache latency was never added: never listed as applied (no band in the report), and said.
    expect(summary.faults.map((fault) => fault.fault)).not.toContain('latency');
    expect(summary.shortfalls).toContainEqual(expect.stringMatching(/^fault f2-latency \(phase storm, fault 1\) was never applied: Toxiproxy/));
    // Reconnect figures after an outage whose heal is unknown are unknown, not "everyone came back" nor "nobody did".
    expect(summary.reconnect).toMatchObject({ outages: 0, unhealed: 1 });
    expect(result.stdout).toMatch(/reconnect unknown after 1 outage whose heal was never confirmed/);
  }, 180_000);
});
