/**
 * The embedded MQTT cloud (`--cloud mqtt`): `stampede target --cloud mqtt` as a child process, which starts its own
 * private Mosquitto broker. Like the reference cloud (embedded.ts), its cache is reached through whatever Redis URL
 * it is given (the run's cache proxy), and the admin key travels in the environment, never argv.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { keepSecret } from '../protocol/redact.ts';
import { startChild, type ChildExit, type ManagedChild } from '../services/child.ts';
import { freePort } from '../services/ports.ts';

export interface EmbeddedMqttCloud {
  /** By the names the MQTT adapter declares: `api` (http://127.0.0.1:P) and `broker` (mqtt://127.0.0.1:Q). */
  endpoints: { api: string; broker: string };
  /** The admin key; give it to the adapter as the `adminToken` option. Registered as a secret. */
  adminToken: string;
  child: ManagedChild;
  /** Settles when the cloud process exits, for whatever reason. */
  exited: Promise<ChildExit>;
  /** Stops the cloud, which stops its broker. */
  stop(): Promise<void>;
}

const STAMPEDE_BIN = fileURLToPath(new URL('../../bin/stampede', import.meta.url));
/** As for the reference cloud: a loaded machine can take long to start Node with tsx; only silence this long fails. */
const READY_TIMEOUT_MS = 120_000;

/** Free ports for the cloud's app API and broker, chosen first so proxies can point at them before the cloud is up. */
export async function mqttCloudPorts(): Promise<{ api: number; broker: number }> {
  return { api: await freePort({ host: '127.0.0.1' }), broker: await freePort({ host: '127.0.0.1' }) };
}

/** Starts `stampede target --cloud mqtt` on `ports` with the cache at `redisUrl` (or `none`) and leak-zoo bug `bug`. */
export async function startEmbeddedMqttCloud(ports: { api: number; broker: number }, redisUrl: string, bug: string): Promise<EmbeddedMqttCloud> {
  const adminToken = randomBytes(24).toString('base64url');
  keepSecret(adminToken);
  const api = `http://127.0.0.1:${ports.api}`;
  const child = await startChild({
    name: 'the MQTT camera cloud (stampede target --cloud mqtt)',
    command: process.execPath,
    args: [STAMPEDE_BIN, 'target', '--cloud', 'mqtt', '--port', String(ports.api), '--broker-port', String(ports.broker), '--bug', bug, '--redis', redisUrl],
    env: { ...process.env, STAMPEDE_ADMIN_TOKEN: adminToken },
    ready: async () => (await fetch(`${api}/api/status`, { signal: AbortSignal.timeout(1_000) })).ok,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  return {
    endpoints: { api, broker: `mqtt://127.0.0.1:${ports.broker}` },
    adminToken,
    child,
    exited: child.exited,
    stop: async () => void (await child.stop()),
  };
}
