/**
 * The target URL, validated. conform resets the target's world, so by default it only talks to this machine:
 * a loopback address (127.0.0.0/8, ::1) or localhost.
 */
import { UsageError } from '../errors.ts';
import { requireFetchablePort } from '../protocol/fetch-failure.ts';
import { isLoopbackHost } from '../protocol/loopback.ts';
import { parseUrlFlag } from '../protocol/url-flag.ts';

export function parseTargetUrl(raw: string, allowRemote: boolean): URL {
  const url = parseUrlFlag('--target', raw, 'http://127.0.0.1:8080');
  requireFetchablePort(url, '--target');
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw new UsageError(
      `refusing non-loopback target ${url.host}: conform replaces all of the target's state`,
      'pass --allow-remote if that is really what you want',
    );
  }
  return url;
}
