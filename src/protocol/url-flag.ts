/**
 * Every address a command takes from the user is checked here before anything connects to it: one http(s) URL,
 * typed without whitespace or control characters (which the URL parser would quietly drop, while our reports
 * would not) and without credentials (which would be written wherever the URL is). Where the address may point is
 * the loopback guard's business (`isLoopbackHost`).
 */
import { UsageError } from '../errors.ts';
import { isLoopbackHost } from './loopback.ts';

const UNPRINTABLE = /[\s\u0000-\u001F\u007F-\u009F]/;

/** `raw`, the value of `flag`, as a URL; a usage error naming the flag when it is not one we can use. */
export function parseUrlFlag(flag: string, raw: string, example: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${flag} ${raw} is not a URL`, `give one like ${example}`);
  }
  if (UNPRINTABLE.test(raw)) throw new UsageError(`${flag} must not contain whitespace or control characters`, `give one URL such as ${example}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${flag} must be an http:// or https:// URL, not ${url.protocol}//`, `give one like ${example}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(`${flag} must not carry credentials`, 'drop the user:password@ part; Stampede sends the admin token itself (--admin-token or STAMPEDE_ADMIN_TOKEN)');
  }
  return url;
}

/** A usage error unless `url` is on this machine or the user allowed other machines. */
export function refuseRemote(flag: string, url: URL, allowRemote: boolean, why: string): void {
  if (allowRemote || isLoopbackHost(url.hostname)) return;
  throw new UsageError(`${flag} ${url.host} is not on this machine`, why);
}
