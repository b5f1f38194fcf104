/**
 * The proxies of one run: `client` between the simulated fleet and the target, and optionally `cache` between
 * the reference cloud and its Redis. The client proxy is one or more shards with the same upstream, shard i on
 * server i % servers (a big fleet's connections spread over several Toxiproxy processes); faults on `client` act
 * on all of them at once (sharded-control.ts). Names are unique per run so parallel runs can share one Toxiproxy
 * server, and every proxy made is removed again, in reverse order, even when setting up a later one fails.
 *
 * A run killed outright (SIGKILL, a second Ctrl-C) removes nothing, so names carry the owner's pid,
 * `stampede-pid<pid>-<tag>-<path>` (`...-client-<i>` for shard i of several), and `sweepRunProxies` removes
 * those whose owner is gone.
 */
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.ts';
import { ownerGone, ownerMark } from '../services/owner.ts';
import type { ProxyControl, ProxyPath } from './faults/fault.ts';
import { shardedControl } from './sharded-control.ts';
import type { ToxiproxyClient } from './toxiproxy.ts';

/** Where a run's proxy forwards to, as host:port (loopback only, like all load). */
export interface ProxyTarget {
  upstream: string;
  /**
   * A backend that takes each shard's connections on an address of its own (the embedded cloud, see
   * simulators/cloud/index.ts): shard k's upstream is `shardUpstreams[k % length]` instead of `upstream`.
   */
  shardUpstreams?: readonly string[];
  /** Where the proxy listens; a free loopback port when left out. */
  listen?: { host: string; port: number };
}

export interface RunProxiesOptions {
  /** A fixed `listen` is only for a client proxy of one shard. */
  client: ProxyTarget;
  /** How many shards the client proxy has; one per server when left out. */
  shards?: number;
  /** Made on the first server. */
  cache?: ProxyTarget;
  /** Goes into the proxy names, to find them in Toxiproxy while a run is live; random when left out. */
  tag?: string;
}

/** A proxy the run made: connect to `host:port` instead of the upstream. */
export interface RunProxy {
  name: string;
  upstream: string;
  /** host:port as Toxiproxy reports it. */
  listen: string;
  host: string;
  port: number;
  /** What the nemesis's faults act on. */
  control: ProxyControl;
  /** The Toxiproxy API it lives in. */
  server: string;
}

/** The run's proxies; `remove()` deletes them all (reverse order), is idempotent, and reports the first failure after trying all. */
export interface RunProxies {
  /** The client proxy's shards: camera k and user k of the world go through shard k % shards.length. */
  shards: RunProxy[];
  cache?: RunProxy;
  /** Controls by path, the shape Nemesis takes; `client` acts on every shard. */
  controls: Partial<Record<ProxyPath, ProxyControl>>;
  remove(): Promise<void>;
}

const TAG = /^[A-Za-z0-9_-]{1,40}$/;
const LOOPBACK_UPSTREAM = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/;

export async function createRunProxies(servers: ToxiproxyClient | readonly ToxiproxyClient[], options: RunProxiesOptions): Promise<RunProxies> {
  const toxiproxies = Array.isArray(servers) ? servers : [servers as ToxiproxyClient];
  const shards = options.shards ?? toxiproxies.length;
  if (toxiproxies.length === 0 || !(Number.isInteger(shards) && shards >= 1)) throw new Error('a run needs a Toxiproxy server and at least one client proxy shard');
  if (options.client.listen !== undefined && shards > 1) throw new Error('a fixed client proxy address is for one shard only');
  const tag = options.tag ?? randomBytes(4).toString('hex');
  if (!TAG.test(tag)) throw new UsageError(`proxy tag ${JSON.stringify(tag)} may only use letters, digits, "_" and "-" (at most 40)`);
  for (const upstream of [options.client.upstream, ...(options.client.shardUpstreams ?? [])]) checkUpstream('client', upstream);
  if (options.cache !== undefined) checkUpstream('cache', options.cache.upstream);
  const name = (path: string): string => `stampede-${ownerMark()}-${tag}-${path}`;
  const wanted: [ToxiproxyClient, string, ProxyTarget][] = Array.from({ length: shards }, (_, i) =>
    [toxiproxies[i % toxiproxies.length]!, name(shards === 1 ? 'client' : `client-${i + 1}`), shardTarget(options.client, i)]);
  if (options.cache !== undefined) wanted.push([toxiproxies[0]!, name('cache'), options.cache]);

  const made: RunProxy[] = [];
  let removed: Promise<void> | undefined;
  const remove = () => (removed ??= removeAll(toxiproxies, [...made].reverse()));
  try {
    for (const [toxiproxy, proxyName, target] of wanted) made.push(await createOne(toxiproxy, proxyName, target));
  } catch (error) {
    await remove().catch(() => undefined); // the setup error is the one worth reporting
    throw error;
  }
  const clients = made.slice(0, shards);
  const cache = made[shards];
  return { shards: clients, cache, controls: { client: shardedControl(clients.map((shard) => shard.control)), cache: cache?.control }, remove };
}

/** A run proxy's name: the owner's pid, then the tag and the path. */
const RUN_PROXY_NAME = /^stampede-pid(\d+)-[A-Za-z0-9_-]{1,40}-(client|client-\d+|cache)$/;

/** What a sweep removed, and what it found but could not remove. */
export interface Swept {
  removed: string[];
  failed: { name: string; error: unknown }[];
}

/**
 * Removes the proxies of runs whose process is gone (`isGone` decides; pids are this machine's, so only sweep a
 * Toxiproxy on this machine). Proxies of live runs, and any not named by a run, are left alone.
 */
export async function sweepRunProxies(toxiproxy: ToxiproxyClient, isGone: (pid: number) => boolean = ownerGone): Promise<Swept> {
  const swept: Swept = { removed: [], failed: [] };
  for (const { name } of await toxiproxy.listProxies()) {
    const owner = RUN_PROXY_NAME.exec(name)?.[1];
    if (owner === undefined || owner === String(process.pid) || !isGone(Number(owner))) continue;
    try {
      await toxiproxy.deleteProxy(name);
      swept.removed.push(name);
    } catch (error) {
      swept.failed.push({ name, error });
    }
  }
  return swept;
}

function shardTarget(target: ProxyTarget, shard: number): ProxyTarget {
  const upstreams = target.shardUpstreams;
  return upstreams?.length ? { ...target, upstream: upstreams[shard % upstreams.length]! } : target;
}

async function createOne(toxiproxy: ToxiproxyClient, name: string, { upstream, listen }: ProxyTarget): Promise<RunProxy> {
  const info = await toxiproxy.createProxy({ name, upstream, ...(listen ? { listenHost: listen.host, listenPort: listen.port } : {}) });
  const at = info.listen.lastIndexOf(':');
  const host = info.listen.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  return { name, upstream, listen: info.listen, host, port: Number(info.listen.slice(at + 1)), control: toxiproxy.control(name), server: toxiproxy.url };
}

async function removeAll(toxiproxies: readonly ToxiproxyClient[], proxies: readonly RunProxy[]): Promise<void> {
  let firstError: unknown;
  for (const proxy of proxies) {
    try {
      await toxiproxies.find((toxiproxy) => toxiproxy.url === proxy.server)!.deleteProxy(proxy.name);
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
}

/** Load only ever goes to loopback, so a proxy may only forward there. */
function checkUpstream(path: ProxyPath, upstream: string): void {
  const match = LOOPBACK_UPSTREAM.exec(upstream);
  const port = match === null ? NaN : Number(match[2]);
  if (!(port >= 1 && port <= 65_535)) {
    throw new UsageError(`the ${path} proxy upstream ${JSON.stringify(upstream)} is not a loopback host:port`, 'use e.g. 127.0.0.1:8080');
  }
}
