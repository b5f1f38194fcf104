/**
 * Where a call goes: the one URL builder for everything the harness sends a target (admin calls, the users' HTTP
 * calls and push stream, the cameras' device socket, conform). A target's base URL may carry a path prefix
 * (`http://host/api`, a backend mounted behind a gateway), and every call keeps it; so does the client proxy.
 */

/**
 * Roots already worked out, by base: a fleet sends every call to one of a few bases, and parsing the base again
 * for each call (thousands a second in a storm) was pure waste. Bounded, for a process that sees many targets.
 */
const roots = new Map<string, string>();
const MAX_ROOTS = 256;

/** `base` as a root to append calls to: scheme, host and path prefix, without query, credentials or trailing `/`. */
export function targetBase(base: string | URL): string {
  if (typeof base !== 'string') return rootOf(base);
  let root = roots.get(base);
  if (root === undefined) {
    root = rootOf(new URL(base));
    if (roots.size >= MAX_ROOTS) roots.clear();
    roots.set(base, root);
  }
  return root;
}

/** Reads `url` only: a parsed URL needs no copy, and a string base was parsed once by the caller. */
function rootOf(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The URL of `path` (`/v1/...`, a query allowed) on the target at `base`; `ws` gives the WebSocket (ws/wss) URL. */
export function endpoint(base: string | URL, path: string, transport: 'http' | 'ws' = 'http'): string {
  const root = targetBase(base);
  return (transport === 'ws' ? root.replace(/^http/, 'ws') : root.replace(/^ws/, 'http')) + path;
}

/**
 * The target at `base` reached through a proxy listening at `listen` (host:port, as Toxiproxy reports it): only
 * the address changes; the scheme and the path prefix stay, since the proxy forwards bytes, not paths.
 */
export function viaProxy(base: string, listen: string): string {
  const url = new URL(targetBase(base));
  url.host = listen;
  return targetBase(url);
}
