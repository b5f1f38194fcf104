import { UnavailableError, UsageError } from '../errors.ts';
import { requireFetchablePort } from '../protocol/fetch-failure.ts';
import { startChild, type ChildExit, type ManagedChild } from './child.ts';
import { freePort } from './ports.ts';
import { provisionTool } from './provision.ts';
import { toxiproxyTool } from './tools.ts';

/** A Toxiproxy API to talk to: one we started (stop() ends it) or one already running (stop() does nothing). */
export interface ToxiproxyServer {
  /** API base URL without a trailing slash, e.g. http://127.0.0.1:24123 */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** True when this process started the server. */
  readonly started: boolean;
  /** The server's process id when we started it. */
  readonly pid?: number;
  /** When we started it: settles when its process exits, for whatever reason. */
  readonly exited?: Promise<ChildExit>;
  stop(): Promise<void>;
}

export interface ToxiproxyServerOptions {
  /** Use this running server instead of starting one; defaults to $TOXIPROXY_URL. */
  readonly url?: string;
  /** The toxiproxy-server binary; defaults to the provisioned one (env var, cache, PATH, or built). */
  readonly bin?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly readyTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

const HOST = '127.0.0.1';
/** Another process may grab the port between our check and the server's bind; try a few. */
const START_ATTEMPTS = 3;

export async function startToxiproxy(options: ToxiproxyServerOptions = {}): Promise<ToxiproxyServer> {
  const env = options.env ?? process.env;
  const existing = options.url ?? (env.TOXIPROXY_URL || undefined);
  if (existing !== undefined) return useRunning(existing);
  const bin = options.bin ?? (await provisionTool(toxiproxyTool, { env, log: options.log })).path;
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort({ host: HOST });
    const url = `http://${HOST}:${port}`;
    try {
      const child = await startChild({
        name: 'toxiproxy-server',
        command: bin,
        args: ['-host', HOST, '-port', String(port)],
        // Toxiproxy logs every connection at info level; under a storm that is megabytes we only drain. One
        // processor per server: each byte crosses several goroutines, and with two the Go scheduler hands them
        // between threads (Toxiproxy in a 6,750-client storm: 60% of a core with two processors, 42% with one).
        env: { ...env, LOG_LEVEL: env.LOG_LEVEL ?? 'warn', GOMAXPROCS: env.GOMAXPROCS ?? '1' },
        ready: () => answersVersion(url, 1_000),
        readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
      });
      return started(child, url, port);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * The run's Toxiproxy servers: `count` started ones, side by side (each proxied connection costs a server two
 * file descriptors, so a big fleet needs several), or the one running server named by `url`/$TOXIPROXY_URL.
 * Either all come up or none is left running.
 */
export async function startToxiproxies(count: number, options: ToxiproxyServerOptions = {}): Promise<ToxiproxyServer[]> {
  const env = options.env ?? process.env;
  if ((options.url ?? (env.TOXIPROXY_URL || undefined)) !== undefined || count <= 1) return [await startToxiproxy(options)];
  const bin = options.bin ?? (await provisionTool(toxiproxyTool, { env, log: options.log })).path;
  const starts = await Promise.allSettled(Array.from({ length: count }, () => startToxiproxy({ ...options, bin })));
  const servers = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
  const failed = starts.find((start) => start.status === 'rejected');
  if (failed === undefined) return servers;
  await Promise.all(servers.map((server) => server.stop()));
  throw failed.reason;
}

function started(child: ManagedChild, url: string, port: number): ToxiproxyServer {
  return { url, host: HOST, port, started: true, pid: child.pid, exited: child.exited, stop: async () => void (await child.stop()) };
}

async function useRunning(raw: string): Promise<ToxiproxyServer> {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new UsageError(`TOXIPROXY_URL ${raw} is not a URL`, 'use e.g. http://127.0.0.1:8474');
  }
  if (parsed.protocol !== 'http:') throw new UsageError(`TOXIPROXY_URL ${raw} must be an http:// URL`, 'use e.g. http://127.0.0.1:8474');
  const url = parsed.origin;
  requireFetchablePort(url, 'TOXIPROXY_URL');
  if (!(await answersVersion(url, 3_000))) {
    throw new UnavailableError(`no Toxiproxy answers at ${url}`, 'start toxiproxy-server there, or unset TOXIPROXY_URL to let Stampede start one');
  }
  const port = parsed.port === '' ? 80 : Number(parsed.port);
  return { url, host: parsed.hostname, port, started: false, stop: async () => undefined };
}

/** True when GET /version answers 200 within `timeoutMs`. */
export async function answersVersion(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(`${url}/version`, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
