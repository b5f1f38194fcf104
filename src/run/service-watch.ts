/**
 * Watches the services a run depends on while its load goes: the target and each Toxiproxy server. A process the
 * run started may be watched for its exit; any service may be probed for health, and is called down after a few
 * failed probes in a row (one slow answer on a loaded machine is not a death), whichever comes first. A service going down is recorded
 * in the history (a `down` record, which makes the run an error however clean it looks) and said at once.
 */
import type { ChildExit } from '../services/child.ts';
import type { Recorder } from '../world/history.ts';

export interface WatchedService {
  service: 'target' | 'toxiproxy';
  /** Names it in messages, e.g. `the reference cloud` or `the target at http://127.0.0.1:8080`. */
  name: string;
  /** For a process the run started: settles when it exits. */
  exited?: Promise<ChildExit>;
  /** One health probe, resolving when healthy, rejecting with why not. */
  probe?: (timeoutMs: number) => Promise<void>;
}

export interface WatchOptions {
  /** Gap between probes. */
  intervalMs?: number;
  /** How long one probe may take. */
  timeoutMs?: number;
  /** Failed probes in a row that make a service down. */
  failures?: number;
  /** Ctrl-C: the run stops its services itself then, so an exit or a failed probe after it is no death. */
  signal?: AbortSignal;
}

/** Starts watching; the returned function stops it (call it before the teardown stops these services). */
export function watchServices(services: readonly WatchedService[], recorder: Recorder, log: (line: string) => void, options: WatchOptions = {}): () => void {
  const { intervalMs = 1_000, timeoutMs = 5_000, failures = 3, signal } = options;
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const said = new Set<WatchedService>();
  const down = (service: WatchedService, how: string): void => {
    if (stopped || signal?.aborted || said.has(service)) return;
    said.add(service);
    const message = `${service.name} went down during the run: ${how}; what followed tested nothing`;
    recorder.record({ type: 'down', t: Date.now(), service: service.service, message });
    log(`stampede: ${message}`);
  };
  for (const service of services) {
    void service.exited?.then(({ code, signal }) => down(service, `its process exited (${signal ?? `code ${code}`})`));
    if (service.probe === undefined) continue;
    let failed = 0;
    const probe = service.probe;
    const next = (): void => {
      const timer = setTimeout(async () => {
        timers.delete(timer);
        try {
          await probe(timeoutMs);
          failed = 0;
        } catch (error) {
          failed += 1;
          if (failed === failures) return down(service, `${failures} health probes in a row failed (the last: ${(error as Error).message})`);
        }
        if (!stopped && !said.has(service)) next();
      }, intervalMs);
      timers.add(timer);
    };
    next();
  }
  return () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
  };
}

/** A probe that GETs `url` and wants a 2xx. */
export function httpProbe(url: string): (timeoutMs: number) => Promise<void> {
  return async (timeoutMs) => {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new Error(`${url}: ${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause ?? (error as Error).message)}`);
    }
    await response.body?.cancel().catch(() => undefined); // the status is the answer; the body may be anything
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  };
}
