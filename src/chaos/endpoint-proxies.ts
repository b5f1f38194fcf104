/**
 * One client proxy per endpoint an adapter talks to (an HTTP API, a device broker, a push host), made with the
 * run's proxy machinery (run-proxies.ts, one call per endpoint, the endpoint's name in the tag so names stay unique
 * and sweepable), and the one `client` control the nemesis acts on: it breaks and heals every endpoint's proxy at
 * once (each endpoint in shards, for a big fleet), so an outage cuts devices and apps together, as with a single
 * proxy. It succeeds only when every proxy confirmed, so a fault counts as applied (or healed) only when it is in
 * force (or gone) on every path.
 */
import { randomBytes } from 'node:crypto';
import type { ProxyControl, ProxyPath } from './faults/fault.ts';
import { createRunProxies, type ProxyTarget, type RunProxies, type RunProxy } from './run-proxies.ts';
import { shardedControl } from './sharded-control.ts';
import type { ToxiproxyClient } from './toxiproxy.ts';

export interface EndpointProxies {
  /** Each endpoint's proxy shards, by endpoint name: shard i of every endpoint is on server i % servers. */
  endpoints: Record<string, RunProxy[]>;
  cache?: RunProxy;
  /** Every proxy's name, for the leftovers note. */
  names: string[];
  /** Controls by path, the shape Nemesis takes: `client` is every shard of every endpoint's proxy. */
  controls: Partial<Record<ProxyPath, ProxyControl>>;
  /** Removes every proxy (the last made first); reports the first failure after trying all. */
  remove(): Promise<void>;
}

export async function createEndpointProxies(
  servers: readonly ToxiproxyClient[],
  options: { endpoints: Record<string, ProxyTarget>; shards?: number; cache?: ProxyTarget },
): Promise<EndpointProxies> {
  const tag = randomBytes(4).toString('hex');
  const made: RunProxies[] = [];
  const remove = async (): Promise<void> => {
    const outcomes = await Promise.allSettled([...made].reverse().map((proxies) => proxies.remove()));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  };
  const endpoints: Record<string, RunProxy[]> = {};
  try {
    for (const [index, [name, target]] of Object.entries(options.endpoints).entries()) {
      // The cache proxy goes with the first endpoint's call, as a run with one proxy has always made it.
      const proxies = await createRunProxies(servers, {
        client: target, ...(options.shards ? { shards: options.shards } : {}), ...(index === 0 && options.cache ? { cache: options.cache } : {}), tag: `${tag}-${name}`,
      });
      made.push(proxies);
      endpoints[name] = proxies.shards;
    }
  } catch (error) {
    await remove().catch(() => undefined); // the setup error is the one worth reporting
    throw error;
  }
  const cache = made[0]?.cache;
  const clients = Object.values(endpoints).flat();
  return {
    endpoints,
    ...(cache ? { cache } : {}),
    names: [...clients.map((proxy) => proxy.name), ...(cache ? [cache.name] : [])],
    controls: { client: shardedControl(clients.map((proxy) => proxy.control)), ...(cache ? { cache: cache.control } : {}) },
    remove,
  };
}
