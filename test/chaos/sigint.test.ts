/** Ctrl-C in a process running the nemesis: every fault is healed before it exits. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRunProxies, type RunProxies } from '../../src/chaos/run-proxies.ts';
import { startEchoServer, startToxiproxyFixture, type EchoServer, type ToxiproxyFixture } from './helpers/toxiproxy.ts';

let toxiproxy: ToxiproxyFixture;
let echo: EchoServer;
let proxies: RunProxies;
let child: ChildProcess | undefined;

beforeAll(async () => {
  toxiproxy = await startToxiproxyFixture();
  echo = await startEchoServer();
  proxies = await createRunProxies(toxiproxy.client, { client: { upstream: echo.upstream } });
}, 30_000);
afterAll(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await proxies?.remove();
  await echo?.close();
  await toxiproxy?.stop();
});

it('heals every fault on SIGINT and exits', async () => {
  const script = fileURLToPath(new URL('./helpers/sigint-nemesis.ts', import.meta.url));
  child = spawn(process.execPath, ['--import', 'tsx', script, toxiproxy.server.url, proxies.shards[0]!.name], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (output += text));
  const exited = once(child, 'exit');

  for (let i = 0; i < 300 && !output.includes('applied'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(output).toContain('applied');
  const during = (await toxiproxy.client.listProxies()).find((proxy) => proxy.name === proxies.shards[0]!.name);
  expect(during).toMatchObject({ enabled: false });
  expect(during?.toxics).toHaveLength(1);

  child.kill('SIGINT');
  const [code] = (await exited) as [number | null];
  expect(output).toMatch(/healed \{"applied":2,"healed":2,"failures":0,"unhealed":\[\]\}/);
  expect(code).toBe(130);
  const after = (await toxiproxy.client.listProxies()).find((proxy) => proxy.name === proxies.shards[0]!.name);
  expect(after).toMatchObject({ enabled: true, toxics: [] });
}, 30_000);
