/**
 * The camera clouds a run can start itself (`--cloud NAME`): what each serves, which adapter talks to it by
 * default, its leak-zoo bugs, and how it starts. Each starts on ports the run picked first, so the client proxies
 * can point at it before it is up, and its Redis cache is reached through the run's cache proxy. A started cloud
 * always has world control of its own (seed at least): its world is the run's, whatever the adapter can do.
 */
import { fileURLToPath } from 'node:url';
import { BUG_NAMES } from '../../simulators/cloud/bugs/index.ts';
import { MQTT_BUG_NAMES } from '../../simulators/mqtt-cloud/bugs.ts';
import { loadAdapter } from '../adapter/load.ts';
import { referenceWorld } from '../adapter/reference/world.ts';
import type { WorldHooks } from '../adapter/types.ts';
import { UsageError } from '../errors.ts';
import type { ChildExit } from '../services/child.ts';
import { freePort } from '../services/ports.ts';
import { startEmbeddedCloud } from './embedded.ts';
import { startEmbeddedMqttCloud } from './embedded-mqtt.ts';

export const CLOUD_NAMES = ['reference', 'mqtt'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface StartedCloud {
  /** Names the cloud in progress lines and when it dies. */
  title: string;
  /** Its world control, called with `options` (e.g. its admin token, which never leaves this process). */
  world: WorldHooks & Required<Pick<WorldHooks, 'seed'>>;
  options: Record<string, string>;
  exited: Promise<ChildExit>;
  stop(): Promise<unknown>;
}

export interface EmbeddedCloudKind {
  /** The adapter a run against this cloud uses unless --adapter says otherwise. */
  adapter: string;
  /** The endpoints it serves, by the names its adapter declares. */
  endpoints: readonly string[];
  bugs: readonly string[];
  /** Real URLs of its endpoints on ports picked for it. */
  urls(ports: Readonly<Record<string, number>>): Record<string, string>;
  /** The endpoint it can also serve on a port per further client proxy shard (see `extraPorts` of simulators/cloud). */
  perShard?: string;
  start(options: { urls: Readonly<Record<string, string>>; ports: Readonly<Record<string, number>>; shardPorts: readonly number[]; redisUrl: string; bug: string }): Promise<StartedCloud>;
}

const reference: EmbeddedCloudKind = {
  adapter: 'reference',
  endpoints: ['target'],
  bugs: BUG_NAMES,
  urls: (ports) => ({ target: `http://127.0.0.1:${ports.target}` }),
  perShard: 'target',
  async start({ ports, shardPorts, redisUrl, bug }) {
    const cloud = await startEmbeddedCloud(ports.target!, shardPorts, redisUrl, bug);
    return {
      title: 'the reference cloud (stampede target)',
      world: referenceWorld,
      options: { adminToken: cloud.adminToken },
      exited: cloud.child.exited,
      stop: () => cloud.child.stop(),
    };
  },
};

/** The worked example of an adapter for a backend that is not ours: the MQTT cloud's. */
const MQTT_ADAPTER = fileURLToPath(new URL('../../examples/adapters/mqtt.adapter.ts', import.meta.url));

const mqtt: EmbeddedCloudKind = {
  adapter: MQTT_ADAPTER,
  endpoints: ['api', 'broker'],
  bugs: MQTT_BUG_NAMES,
  urls: (ports) => ({ api: `http://127.0.0.1:${ports.api}`, broker: `mqtt://127.0.0.1:${ports.broker}` }),
  async start({ ports, redisUrl, bug }) {
    const cloud = await startEmbeddedMqttCloud({ api: ports.api!, broker: ports.broker! }, redisUrl, bug);
    // Its world control is its adapter's: the admin API is the cloud's own, reached with its admin key.
    const { adapter } = await loadAdapter(MQTT_ADAPTER);
    const world = adapter.world;
    if (!world?.seed) throw new Error(`${MQTT_ADAPTER} has no world.seed`);
    return {
      title: 'the MQTT camera cloud (stampede target --cloud mqtt)',
      world: { ...world, seed: world.seed },
      options: { adminToken: cloud.adminToken },
      exited: cloud.exited,
      stop: () => cloud.stop(),
    };
  },
};

const CLOUDS: Readonly<Record<CloudName, EmbeddedCloudKind | undefined>> = { reference, mqtt };

/**
 * The cloud's endpoint URLs under the adapter's names: the same names, or, for a cloud serving one endpoint and an
 * adapter declaring one, that one whatever each calls it (a scaffolded adapter's `api` is the reference cloud's
 * `target`). Undefined when they do not fit.
 */
export function endpointsForAdapter(urls: Readonly<Record<string, string>>, adapterEndpoints: readonly string[]): Record<string, string> | undefined {
  const served = Object.keys(urls);
  if (served.length === 1 && adapterEndpoints.length === 1) return { [adapterEndpoints[0]!]: urls[served[0]!]! };
  if (served.length !== adapterEndpoints.length || !adapterEndpoints.every((name) => urls[name] !== undefined)) return undefined;
  return Object.fromEntries(adapterEndpoints.map((name) => [name, urls[name]!]));
}

/** The cloud `--cloud NAME` starts; a usage error for one that does not exist (yet). */
export function cloudKind(name: string): EmbeddedCloudKind {
  if (!CLOUD_NAMES.includes(name as CloudName)) throw new UsageError(`unknown --cloud ${name}`, `pick one of ${CLOUD_NAMES.join(', ')}`);
  const kind = CLOUDS[name as CloudName];
  if (!kind) throw new UsageError(`--cloud ${name} is not built yet`, 'use --cloud reference (the default), or --target with your own backend');
  return kind;
}

/** Where a started cloud listens: a port per endpoint, and more of its per-shard endpoint for shards 2 and up. */
export interface CloudPorts {
  ports: Record<string, number>;
  shardPorts: number[];
}

/** Free loopback ports for the cloud's endpoints, with one more per client proxy shard past the first where it can. */
export async function cloudPorts(kind: EmbeddedCloudKind, shards = 1): Promise<CloudPorts> {
  const taken = new Set<number>();
  // Each port is free when asked for, but not held: the next ask must not hand out the same one again.
  const another = async (): Promise<number> => {
    for (;;) {
      const port = await freePort({ host: '127.0.0.1' });
      if (!taken.has(port)) return taken.add(port), port;
    }
  };
  const ports: Record<string, number> = {};
  for (const name of kind.endpoints) ports[name] = await another();
  const shardPorts: number[] = [];
  if (kind.perShard !== undefined) while (shardPorts.length < shards - 1) shardPorts.push(await another());
  return { ports, shardPorts };
}

/**
 * Each shard's upstream for the cloud endpoint served on a port per shard, by that endpoint's own host:port: shard
 * k of its client proxy goes to the k-th port. Empty for a cloud with one port per endpoint.
 */
export function shardUpstreams(kind: EmbeddedCloudKind, { ports, shardPorts }: CloudPorts): Record<string, string[]> {
  if (kind.perShard === undefined || shardPorts.length === 0) return {};
  const all = [ports[kind.perShard]!, ...shardPorts].map((port) => `127.0.0.1:${port}`);
  return { [all[0]!]: all };
}
