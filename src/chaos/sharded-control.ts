/**
 * The client proxy of a big fleet is several Toxiproxy proxies (shards), spread over several toxiproxy-server
 * processes so none runs out of file descriptors (it needs two per proxied connection). Faults still name one
 * path, `client`: this control breaks and heals every shard at once, and succeeds only when every shard confirmed,
 * so a fault counts as applied (or healed) only when it is in force (or gone) for the whole fleet.
 */
import { UnavailableError } from '../errors.ts';
import type { ProxyControl } from './faults/fault.ts';

/** One or more shards' calls did not succeed; each failure names its shard's proxy. */
export class ShardCallError extends UnavailableError {
  constructor(
    readonly failures: readonly { proxy: string; error: unknown }[],
    shards: number,
  ) {
    const each = failures.map(({ proxy, error }) => `${proxy}: ${error instanceof Error ? error.message : String(error)}`);
    super(`${failures.length} of ${shards} client proxy shards failed (${each.join('; ')})`);
    this.name = 'ShardCallError';
  }
}

/** One control over every shard; a single shard's own control is returned as it is, so its errors stay its own. */
export function shardedControl(shards: readonly ProxyControl[]): ProxyControl {
  if (shards.length === 0) throw new Error('a sharded proxy needs at least one shard');
  if (shards.length === 1) return shards[0]!;
  // Concurrently, not one after another: the whole fleet loses (or gets back) its proxy at the same moment.
  const everyShard = async (call: (shard: ProxyControl) => Promise<void>): Promise<void> => {
    const outcomes = await Promise.allSettled(shards.map(call));
    const failures = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [{ proxy: shards[i]!.proxy, error: outcome.reason as unknown }] : []));
    if (failures.length > 0) throw new ShardCallError(failures, shards.length);
  };
  return {
    proxy: `${shards[0]!.proxy} .. ${shards.at(-1)!.proxy} (${shards.length} shards)`,
    setEnabled: (enabled) => everyShard((shard) => shard.setEnabled(enabled)),
    addToxic: (toxic) => everyShard((shard) => shard.addToxic(toxic)),
    removeToxic: (name) => everyShard((shard) => shard.removeToxic(name)),
  };
}
