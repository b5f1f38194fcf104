import { Proxy, Toxic, Toxiproxy } from 'toxiproxy-node-client';
import { UnavailableError } from '../errors.ts';
import { freePort } from '../services/ports.ts';
import type { ProxyControl, ToxicDefinition } from './faults/fault.ts';
import { SignalledHttpClient, ToxiproxyHttpStatus } from './toxiproxy-http.ts';

/** Why a Toxiproxy API call failed. */
export type ToxiproxyFailure = 'timeout' | 'unreachable' | 'rejected';

/** A Toxiproxy API call that did not succeed; `call` names it, e.g. "addToxic(client, f1-up)". */
export class ToxiproxyCallError extends UnavailableError {
  constructor(
    readonly call: string,
    readonly failure: ToxiproxyFailure,
    detail: string,
    /** The HTTP status when Toxiproxy answered with an error. */
    readonly status?: number,
  ) {
    super(`Toxiproxy ${call} failed: ${detail}`, failure === 'rejected' ? undefined : 'check that toxiproxy-server is running and not overloaded');
    this.name = 'ToxiproxyCallError';
  }
}

/** A proxy as Toxiproxy reports it. */
export interface ProxyInfo {
  readonly name: string;
  /** host:port the proxy listens on. */
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
  readonly toxics: readonly ToxicDefinition[];
}

export interface CreateProxyOptions {
  readonly name: string;
  /** host:port to forward to. */
  readonly upstream: string;
  /** Defaults to a free port outside the ephemeral range (see services/ports.ts). */
  readonly listenPort?: number;
  /** Loopback by default; another interface only when the user allowed remote workers (`--proxy-listen` with `--allow-remote`). */
  readonly listenHost?: string;
}

/** Toxiproxy takes a few ms per call when healthy; seconds of silence mean it is stuck. */
export const DEFAULT_CALL_TIMEOUT_MS = 5_000;
/** Another process may take a free port before Toxiproxy binds it. */
const CREATE_ATTEMPTS = 3;

/**
 * A typed Toxiproxy API client in which every call ends within `timeoutMs`, with a
 * ToxiproxyCallError naming the call when it does not succeed.
 */
export class ToxiproxyClient {
  constructor(
    readonly url: string,
    readonly timeoutMs: number = DEFAULT_CALL_TIMEOUT_MS,
  ) {}

  /** The server's own version string; builds from `go install` say "git". */
  version(): Promise<string> {
    return this.call('version', async (api) => {
      // v2.12 answers {"version": "..."}; older servers answer the bare string.
      const text = (await api.getVersion()).trim();
      try {
        return String((JSON.parse(text) as { version?: unknown }).version ?? text);
      } catch {
        return text;
      }
    });
  }

  async createProxy(options: CreateProxyOptions): Promise<ProxyInfo> {
    const host = options.listenHost ?? '127.0.0.1';
    const create = (port: number): Promise<ProxyInfo> =>
      this.call(`createProxy(${options.name})`, async (api) => {
        const listen = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
        return infoOf(await api.createProxy({ name: options.name, listen, upstream: options.upstream }));
      });
    if (options.listenPort !== undefined) return create(options.listenPort);
    let lastError: unknown;
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      try {
        return await create(await freePort({ host: host === '::1' ? '::1' : '127.0.0.1' }));
      } catch (error) {
        lastError = error;
        if (!(error instanceof ToxiproxyCallError && /address already in use/i.test(error.message))) throw error;
      }
    }
    throw lastError;
  }

  deleteProxy(name: string): Promise<void> {
    return this.call(`deleteProxy(${name})`, async (api) => (await api.get(name)).remove());
  }

  setEnabled(name: string, enabled: boolean): Promise<void> {
    return this.call(`${enabled ? 'enable' : 'disable'}Proxy(${name})`, async (api) => {
      const proxy = await api.get(name);
      await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
    });
  }

  async addToxic(proxyName: string, toxic: ToxicDefinition): Promise<void> {
    await this.call(`addToxic(${proxyName}, ${toxic.name})`, (api) => proxyHandle(api, proxyName).addToxic({ ...toxic }));
  }

  /** Removes a toxic by name; one that is already gone is not an error, so heals can repeat. */
  async removeToxic(proxyName: string, toxicName: string): Promise<void> {
    try {
      await this.call(`removeToxic(${proxyName}, ${toxicName})`, (api) => toxicHandle(api, proxyName, toxicName).remove());
    } catch (error) {
      if (error instanceof ToxiproxyCallError && error.status === 404) return;
      throw error;
    }
  }

  listProxies(): Promise<ProxyInfo[]> {
    // The library's getAll() drops each proxy's toxics, so read the raw listing.
    return this.call('listProxies', async (api) => {
      const { data } = await api.getApi().get<Record<string, RawProxy>>(`${this.url}/proxies`);
      return Object.values(data).map(infoOf);
    });
  }

  /** Removes every toxic and enables every proxy. */
  reset(): Promise<void> {
    return this.call('reset', (api) => api.reset());
  }

  /** The narrow view of one proxy that a fault gets (see faults/fault.ts). */
  control(proxyName: string): ProxyControl {
    return {
      proxy: proxyName,
      setEnabled: (enabled) => this.setEnabled(proxyName, enabled),
      addToxic: (toxic) => this.addToxic(proxyName, toxic),
      removeToxic: (name) => this.removeToxic(proxyName, name),
    };
  }

  /** Runs one call on a library instance whose every request shares one deadline. */
  private async call<T>(call: string, work: (api: Toxiproxy) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const api = new Toxiproxy(this.url);
    api.api = new SignalledHttpClient(signal);
    try {
      return await work(api);
    } catch (error) {
      throw callError(call, error, signal, this.timeoutMs);
    }
  }
}

function callError(call: string, error: unknown, signal: AbortSignal, timeoutMs: number): ToxiproxyCallError {
  if (signal.aborted) return new ToxiproxyCallError(call, 'timeout', `no answer within ${timeoutMs} ms`);
  if (error instanceof ToxiproxyHttpStatus) return new ToxiproxyCallError(call, 'rejected', `${error.status} ${error.message}`, error.status);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return new ToxiproxyCallError(call, 'unreachable', cause?.code ?? cause?.message ?? (error as Error).message);
}

/** A library Proxy for `name` without fetching it first: only its path is used. */
function proxyHandle(api: Toxiproxy, name: string): Proxy {
  return new Proxy(api, { name, listen: '', upstream: '', enabled: true, toxics: [] });
}

function toxicHandle(api: Toxiproxy, proxyName: string, toxicName: string): Toxic<unknown> {
  const proxy = proxyHandle(api, proxyName);
  return new Toxic(proxy.api, proxy.getPath(), { name: toxicName, type: 'latency', stream: 'downstream', toxicity: 1, attributes: {} });
}

/** A proxy as the API sends it; a library Proxy lacks `toxics`. */
interface RawProxy {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics?: ToxicDefinition[];
}

function infoOf(json: RawProxy): ProxyInfo {
  return {
    name: json.name,
    listen: json.listen,
    upstream: json.upstream,
    enabled: json.enabled,
    toxics: (json.toxics ?? []).map((toxic) => ({
      name: toxic.name,
      type: toxic.type,
      stream: toxic.stream,
      toxicity: toxic.toxicity,
      attributes: toxic.attributes,
    })),
  };
}
