/**
 * Where the drivers send load. Load only ever goes to loopback unless the caller explicitly allows otherwise, so
 * a typo in a URL can never storm someone else's backend.
 */
import { UsageError } from '../../src/errors.ts';
import { endpoint } from '../../src/protocol/endpoint.ts';
import { isLoopbackHost } from '../../src/protocol/loopback.ts';

/** The validated target's base URL (http or https, path prefix kept), for `endpoint()` to build every call from. */
export function resolveTarget(target: string, allowRemote = false): string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`target "${target}" is not a URL`, 'give one like http://127.0.0.1:8080');
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new UsageError(`target "${target}" must be http(s):// or ws(s)://`);
  }
  return checkedUrl(target, allowRemote);
}

/**
 * Every endpoint the adapter declared, each validated as `resolveTarget` does (any scheme: a device broker may be
 * mqtt://), as bases without a trailing `/`. A declared endpoint without a URL is one clear error.
 */
export function resolveEndpoints(declared: readonly string[], given: Readonly<Record<string, string>>, allowRemote = false): Record<string, string> {
  const endpoints: Record<string, string> = {};
  for (const name of declared) {
    const url = given[name];
    if (url === undefined) {
      throw new UsageError(`the adapter talks to an endpoint named "${name}" but no URL was given for it`, `give --target ${name}=URL`);
    }
    endpoints[name] = checkedUrl(url, allowRemote);
  }
  return endpoints;
}

function checkedUrl(target: string, allowRemote: boolean): string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`target "${target}" is not a URL`, 'give one like http://127.0.0.1:8080');
  }
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw new UsageError(
      `target host ${url.hostname} is not loopback`,
      'load only goes to 127.0.0.1, ::1 or localhost unless remote targets are explicitly allowed',
    );
  }
  return endpoint(url, '');
}
