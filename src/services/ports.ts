import { createServer } from 'node:net';
import { UnavailableError } from '../errors.ts';

/** A closed range of TCP ports. */
export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/**
 * Below Linux's ephemeral range (32768-60999): Toxiproxy's FAQ warns that proxies listening
 * inside it fail intermittently, because outgoing connections are given ports from there.
 */
export const LISTEN_PORT_RANGE: PortRange = { first: 20_000, last: 32_767 };

const MAX_ATTEMPTS = 500;

/** Ports this process has handed out; not offered again, since the caller may not have bound them yet. */
const handedOut = new Set<number>();

export interface FreePortOptions {
  readonly host?: '127.0.0.1' | '::1';
  readonly range?: PortRange;
}

/**
 * A port nothing listens on right now, proved by binding it. The search starts at a random point
 * so parallel test workers rarely race for the same port; a race is still possible between the
 * check and the caller's own bind, so callers that start servers retry on "address in use".
 */
export async function freePort(options: FreePortOptions = {}): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  const range = options.range ?? LISTEN_PORT_RANGE;
  const size = range.last - range.first + 1;
  if (!Number.isInteger(size) || size < 1 || range.first < 1 || range.last > 65_535) {
    throw new UnavailableError(`invalid port range ${range.first}-${range.last}`);
  }
  const start = Math.floor(Math.random() * size);
  const attempts = Math.min(size, MAX_ATTEMPTS);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = range.first + ((start + attempt) % size);
    if (handedOut.has(port)) continue;
    if (await canBind(host, port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new UnavailableError(`no free port on ${host} in ${range.first}-${range.last} after ${attempts} tries`, 'stop whatever holds those ports');
}

/** True when `host:port` can be bound now (nobody listens there). */
export function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
