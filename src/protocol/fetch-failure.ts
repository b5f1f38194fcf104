/**
 * Why a fetch got no answer, said plainly. One cause is easy to miss: the Fetch standard blocks some ports
 * (https://fetch.spec.whatwg.org/#port-blocking, undici's `badPorts`), and Node's fetch fails on them with "bad
 * port" before any connection, so a healthy target there looks unreachable. The admin client, conform and the
 * Toxiproxy client use fetch, so such a port is refused up front saying what happens, and a fetch that still
 * meets one says so.
 */
import { UsageError } from '../errors.ts';

export const FETCH_BLOCKED_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** The port of an http(s) `url` when fetch refuses it; undefined otherwise (a default port is never blocked). */
export function fetchBlockedPort(url: string | URL): number | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const port = Number(parsed.port);
  return parsed.port !== '' && FETCH_BLOCKED_PORTS.has(port) ? port : undefined;
}

/** What happens to fetch on `port`, in words. */
export function blockedPortText(port: number): string {
  return `port ${port} is blocked by Node's fetch (the Fetch standard's "bad port" list), so nothing is ever sent there`;
}

/** Refuses `url` (given by `flag`, e.g. `--target`) when fetch would refuse its port. */
export function requireFetchablePort(url: string | URL, flag: string): void {
  const port = fetchBlockedPort(url);
  if (port !== undefined) throw new UsageError(`${flag}: ${blockedPortText(port)}`, 'pick another port');
}

/**
 * The reason behind a failed fetch of `url`: the port policy, `no answer within 5000 ms`, or the network's own
 * code (`ECONNREFUSED`) instead of undici's bare "fetch failed".
 */
export function fetchFailure(error: unknown, url: string | URL, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const port = fetchBlockedPort(url);
  if (cause?.message === 'bad port' && port !== undefined) return blockedPortText(port);
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
