/** The fleets' adapter options for the reference target at `url`, through the built-in reference adapter. */
import { referenceAdapter } from '../../../src/adapter/reference/index.ts';

export function via(url: string): { adapter: typeof referenceAdapter; endpoints: { target: string }; adapterOptions: Record<string, string> } {
  return { adapter: referenceAdapter, endpoints: { target: url }, adapterOptions: {} };
}
