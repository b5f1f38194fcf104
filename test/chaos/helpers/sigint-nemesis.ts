/**
 * A child process that runs a nemesis the way the CLI will: Ctrl-C (SIGINT) aborts it. Prints "applied" once
 * its faults are in force and "healed <summary>" when its run is over, then exits 130 like an interrupted run.
 * Arguments: <toxiproxy url> <client proxy name>.
 */
import { Nemesis } from '../../../src/chaos/nemesis.ts';
import { ToxiproxyClient } from '../../../src/chaos/toxiproxy.ts';
import type { HistoryRecord } from '../../../src/world/history.ts';

const [url, proxyName] = process.argv.slice(2);
if (url === undefined || proxyName === undefined) throw new Error('usage: sigint-nemesis <toxiproxy url> <proxy name>');

const abort = new AbortController();
process.once('SIGINT', () => abort.abort());
let started = 0;
const nemesis = new Nemesis({
  steps: [
    { at: 0, fault: 'outage', path: 'client' },
    { at: 0, fault: 'latency', path: 'client', latencyMs: 1_000 },
  ],
  proxies: { client: new ToxiproxyClient(url, 3_000).control(proxyName) },
  recorder: {
    record(record: HistoryRecord) {
      if (record.type === 'fault' && record.action === 'start' && ++started === 2) setTimeout(() => console.log('applied'), 200);
    },
  },
  deadline: 60_000,
  signal: abort.signal,
});
const summary = await nemesis.run();
console.log(`healed ${JSON.stringify(summary)}`);
process.exitCode = 130;
