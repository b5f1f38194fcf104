/**
 * The one runner behind every toxic-based fault: it turns a fault's Toxiproxy attributes into named toxics,
 * applies toxicity and direction the same way for all of them, and heals by removing exactly those toxics by name.
 * Keeping this here means each fault file only says which toxic it is and how its parameters map.
 */
import { z } from 'zod';
import type { Fault, ProxyPath, StreamChoice, ToxicDefinition, ToxicStream, ToxicType } from './fault.ts';

/** Fields every fault spec has. */
export const pathField = z.enum(['client', 'cache']);

/** Share of connections a toxic affects; Toxiproxy rolls it once per connection. */
export const toxicityField = z.number().min(0).max(1).default(1);

/** Which directions a toxic covers, with the default that makes sense for that fault. */
export function streamField(fallback: StreamChoice) {
  return z.enum(['upstream', 'downstream', 'both']).default(fallback);
}

/** The parts of a parsed spec the runner reads; the rest is the fault's own parameters. */
interface ToxicSpecBase {
  fault: string;
  path: ProxyPath;
  stream: StreamChoice;
  toxicity: number;
}

/** Builds a fault that installs one `type` toxic per chosen direction with these attributes. */
export function toxicFault(spec: ToxicSpecBase, id: string, type: ToxicType, attributes: Record<string, number>): Fault {
  const toxics: ToxicDefinition[] = streamsOf(spec.stream).map((stream) => ({
    name: `${id}-${stream}`,
    type,
    stream,
    toxicity: spec.toxicity,
    attributes,
  }));
  const { fault: name, path, ...detail } = spec;
  return {
    name,
    path,
    id,
    detail,
    async apply(proxy) {
      for (const toxic of toxics) await proxy.addToxic(toxic);
    },
    async heal(proxy) {
      // Try every removal even if one fails, so one bad call never leaves the other direction broken.
      const results = await Promise.allSettled(toxics.map((toxic) => proxy.removeToxic(toxic.name)));
      const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
    },
  };
}

function streamsOf(choice: StreamChoice): ToxicStream[] {
  return choice === 'both' ? ['upstream', 'downstream'] : [choice];
}
