/**
 * The camera clouds a run can start itself (`--cloud NAME`): what each serves, which adapter talks to it by
 * default, its leak-zoo bugs, and how it starts. Each starts on ports the run picked first, so the client proxies
 * can point at it before it is up, and its Redis cache is reached through the run's cache proxy. A started cloud
 * always has world control of its own (seed at least): its world is the run's, whatever the adapter can do.
 */
import { BUG_NAMES } from '../../simulators/cloud/bugs/index.ts';
import { referenceWorld } from '../adapter/reference/world.ts';
import type { WorldHooks } from '../adapter/types.ts';
import { UsageError } from '../errors.ts';
import type { ChildExit } from '../services/child.ts';
import { freePort } from '../services/ports.ts';
import { startEmbeddedCloud } from './embedded.ts';

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
  start(options: { urls: Readonly<Record<string, string>>; ports: Readonly<Record<string, number>>; redisUrl: string; bug: string }): Promise<StartedCloud>;
}

const reference: EmbeddedCloudKind = {
  adapter: 'reference',
  endpoints: ['target'],
  bugs: BUG_NAMES,
  urls: (ports) => ({ target: `http://127.0.0.1:${ports.target}` }),
  async start({ ports, redisUrl, bug }) {
    const cloud = await startEmbeddedCloud(ports.target!, redisUrl, bug);
    return {
      title: 'the reference cloud (stampede target)',
      world: referenceWorld,
      options: { adminToken: cloud.adminToken },
      exited: cloud.child.exited,
      stop: () => cloud.child.stop(),
    };
  },
};

/**
 * The clouds that exist. MQTT: swap this entry for the MQTT helper's `startEmbeddedMqttCloud` from
 * simulators/mqtt-cloud/ (adapter examples/adapters/mqtt.adapter.ts, endpoints api and broker).
 */
const CLOUDS: Readonly<Record<CloudName, EmbeddedCloudKind | undefined>> = { reference, mqtt: undefined };

/** The cloud `--cloud NAME` starts; a usage error for one that does not exist (yet). */
export function cloudKind(name: string): EmbeddedCloudKind {
  if (!CLOUD_NAMES.includes(name as CloudName)) throw new UsageError(`unknown --cloud ${name}`, `pick one of ${CLOUD_NAMES.join(', ')}`);
  const kind = CLOUDS[name as CloudName];
  if (!kind) throw new UsageError(`--cloud ${name} is not built yet`, 'use --cloud reference (the default), or --target with your own backend');
  return kind;
}

/** A free loopback port for each of the cloud's endpoints. */
export async function cloudPorts(kind: EmbeddedCloudKind): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const name of kind.endpoints) ports[name] = await freePort({ host: '127.0.0.1' });
  return ports;
}
