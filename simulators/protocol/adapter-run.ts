/**
 * What a fleet needs to drive a backend through an adapter: the adapter, the context its hooks are given (proxied
 * endpoints, the fleet's abort signal, the call timeout, the adapter's options), and one way to record an adapter
 * fault: an error whose source names the adapter and the hook, counted so the run can refuse a verdict.
 */
import type { Adapter, AdapterContext } from '../../src/adapter/types.ts';
import { adapterFaultSource } from '../../src/run/adapter-fault.ts';
import type { Recorder } from '../../src/world/history.ts';
import { resolveEndpoints } from './target.ts';

/** The adapter part of both fleets' options. */
export interface AdapterFleetOptions {
  /** The backend's adapter (`referenceAdapter` speaks docs/protocol.md). */
  // The session type is the adapter's own business: the fleet only hands back what `login` returned.
  adapter: Adapter<any>;
  /** A URL per endpoint the adapter declared, normally the Toxiproxy proxies. Loopback only unless `allowRemote`. */
  endpoints: Record<string, string>;
  /** The adapter's options (`--adapter-option KEY=VALUE`). */
  adapterOptions?: Record<string, string>;
  allowRemote?: boolean;
}

export class AdapterRun {
  readonly ctx: AdapterContext;
  private readonly abort = new AbortController();

  constructor(
    readonly adapter: Adapter<any>,
    endpoints: Record<string, string>,
    timeoutMs: number,
    options: Record<string, string>,
    private readonly recorder: Recorder,
  ) {
    this.ctx = Object.freeze({ endpoints: Object.freeze(endpoints), signal: this.abort.signal, timeoutMs, options: Object.freeze({ ...options }) });
  }

  /** Validates the endpoints first, so a bad URL is one clear error before anything starts. */
  static from(options: AdapterFleetOptions, timeoutMs: number, recorder: Recorder): AdapterRun {
    const endpoints = resolveEndpoints(options.adapter.endpoints, options.endpoints, options.allowRemote);
    return new AdapterRun(options.adapter, endpoints, timeoutMs, options.adapterOptions ?? {}, recorder);
  }

  /** Records an adapter fault of `hook` (e.g. `users.events`). */
  fault(hook: string, message: string, about: { userId?: string; cameraId?: string }): void {
    this.recorder.record({ type: 'error', t: Date.now(), source: adapterFaultSource(this.adapter.name, hook), message, ...about });
  }

  /** Ends everything the adapter still has open or in flight for this fleet. */
  stop(): void {
    this.abort.abort();
  }
}
