/**
 * `--target URL` (the adapter's first endpoint) or `--target NAME=URL` repeated: the real endpoints of the backend
 * the adapter talks to, each checked like any address a user gives (no credentials or whitespace, on this machine
 * unless --allow-remote), and how a Toxiproxy proxy reaches each (host:port).
 */
import { UsageError } from '../errors.ts';
import { requireFetchablePort } from '../protocol/fetch-failure.ts';
import { parseUrlFlag, refuseRemote } from '../protocol/url-flag.ts';
import { targetBase } from '../protocol/endpoint.ts';

const NAMED = /^([A-Za-z][A-Za-z0-9_-]*)=(.*)$/s;
const UNPRINTABLE = /[\s\u0000-\u001F\u007F-\u009F]/;
/** Ports of schemes whose URLs may leave them out. */
const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'mqtt:': '1883', 'mqtts:': '8883' };

/**
 * Repeated `FLAG [NAME=]VALUE` flags giving one value per endpoint (a bare value is the first endpoint's), each read
 * by `read`: an endpoint the adapter lacks, or one given twice, is one line naming `flag`. Also says which of the
 * adapter's endpoints no flag named, for the caller to refuse in its own words.
 */
export function byEndpoint<T>(
  flags: readonly string[], flag: string, adapter: string, endpoints: readonly string[], read: (raw: string, name: string, named: boolean) => T,
): { values: Record<string, T>; missing: string[] } {
  const values: Record<string, T> = {};
  for (const given of flags) {
    const named = NAMED.exec(given);
    const name = named ? named[1]! : endpoints[0]!;
    if (!endpoints.includes(name)) {
      throw new UsageError(`${flag} ${name}=...: adapter ${adapter} has no endpoint ${name}`, `its endpoints are ${endpoints.join(', ')}`);
    }
    if (values[name] !== undefined) throw new UsageError(`${flag} gives endpoint ${name} twice`, 'give each endpoint once');
    values[name] = read(named ? named[2]! : given, name, named !== null);
  }
  return { values, missing: endpoints.filter((name) => values[name] === undefined) };
}

/** The `--target` flags (or another flag's, named `flag`) for an adapter named `adapter` with these endpoints, as a URL per endpoint name. */
export function parseTargets(flags: readonly string[], adapter: string, endpoints: readonly string[], allowRemote: boolean, flag = '--target'): Record<string, string> {
  const { values: urls, missing } = byEndpoint(flags, flag, adapter, endpoints, (raw, name, named) =>
    endpointUrl(endpoints.length > 1 || named ? `${flag} ${name}=` : flag, raw, allowRemote));
  if (missing.length > 0) {
    throw new UsageError(`adapter ${adapter} needs ${flag} for ${missing.join(', ')}`, `give ${flag} NAME=URL for each of ${endpoints.join(', ')}`);
  }
  return urls;
}

/** One endpoint's URL, checked, without a trailing `/`. */
function endpointUrl(flag: string, raw: string, allowRemote: boolean): string {
  let url: URL;
  if (/^https?:/i.test(raw)) {
    url = parseUrlFlag(flag.replace(/=$/, ''), raw, 'http://127.0.0.1:8080');
    requireFetchablePort(url, flag.replace(/=$/, ''));
  } else {
    try {
      url = new URL(raw);
    } catch {
      throw new UsageError(`${flag}${raw} is not a URL`, 'give one like http://127.0.0.1:8080 or mqtt://127.0.0.1:1883');
    }
    if (UNPRINTABLE.test(raw)) throw new UsageError(`${flag} must not contain whitespace or control characters`);
    if (url.username !== '' || url.password !== '') throw new UsageError(`${flag} must not carry credentials`, 'give secrets with --adapter-option KEY=VALUE');
    if (url.hostname === '' || (url.port === '' && DEFAULT_PORTS[url.protocol] === undefined)) {
      throw new UsageError(`${flag}${raw} needs a host and a port`, 'e.g. mqtt://127.0.0.1:1883');
    }
  }
  refuseRemote(flag.replace(/=$/, ''), url, allowRemote, 'Stampede only storms 127.0.0.1 or ::1 unless you add --allow-remote (and own that backend)');
  return targetBase(url);
}

/** host:port a proxy forwards to for the endpoint at `url`, its scheme's port when the URL leaves it out. */
export function upstreamOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || DEFAULT_PORTS[parsed.protocol] || ''}`;
}

/**
 * A worker's `--target` flags: the run passes each client proxy shard's endpoints in turn, one flag per endpoint,
 * so the flags come in groups of the adapter's endpoint count, shard 0 first.
 */
export function parseShardTargets(flags: readonly string[], adapter: string, endpoints: readonly string[], allowRemote: boolean): Record<string, string>[] {
  if (flags.length === 0 || flags.length % endpoints.length !== 0) {
    throw new UsageError(`--target: ${flags.length} given for adapter ${adapter}'s ${endpoints.length} endpoints`, `give each of ${endpoints.join(', ')} once per client proxy shard`);
  }
  const shards: Record<string, string>[] = [];
  for (let at = 0; at < flags.length; at += endpoints.length) shards.push(parseTargets(flags.slice(at, at + endpoints.length), adapter, endpoints, allowRemote));
  return shards;
}

/**
 * `--target` flags giving a worker (or a run) these endpoint URLs: `NAME=URL` unless the adapter is the built-in
 * one-endpoint reference, in the adapter's order, as `parseTargets` reads them back.
 */
export function targetFlags(adapter: { spec: string; endpoints: readonly string[] }, urls: Readonly<Record<string, string>>): string[] {
  const named = adapter.endpoints.length > 1 || adapter.spec !== 'reference';
  return adapter.endpoints.flatMap((name) => ['--target', named ? `${name}=${urls[name]!}` : urls[name]!]);
}
