/**
 * The refresh storm's users: every app's reads driven by autocannon, one keep-alive connection per user carrying
 * that user's own session, through the adapter's plain-HTTP user calls (`users.http`). Users log in through the
 * adapter's `login` hook first; then autocannon makes their requests back to back (at most `ratePerUser` a second
 * each), every answer recorded for the oracle (refresh-user.ts). An outage drops every connection; each comes back
 * with a jittered backoff and, once the network heals, all of them at once: the apps reopening. The run is bounded
 * by its deadline and its request budget; at the end autocannon's own figures are recorded as a `load` record.
 */
import autocannon, { type Client } from 'autocannon';
import { classifyFailure, needsPlainHttp } from '../../src/adapter/call.ts';
import { worldUserOf } from '../../src/adapter/world-view.ts';
import { UsageError } from '../../src/errors.ts';
import { AdapterRun } from './adapter-run.ts';
import { adoptClient } from './cannon-client.ts';
import { ProbeTargets } from './probe-targets.ts';
import { APP_BACKOFF, fullJitterBackoff, seededRandom } from './random.ts';
import { RefreshUser, type RefreshShared } from './refresh-user.ts';
import type { UserFleet, UserFleetStats } from './user-fleet.ts';
import { type UserFleetOptions, validateUserFleetOptions } from './user-options.ts';

export interface RefreshFleetOptions extends Omit<UserFleetOptions, 'pollMs' | 'camerasMs' | 'tapMs' | 'probeMs' | 'stream'> {
  /** Requests a second on each user's connection at most; 0: as fast as the target answers. */
  ratePerUser: number;
  /** After failing, a connection makes requests as fast as the target answers for this long (ms): the app reopening. */
  burstMs: number;
  /** Every this many thumbnails, one is a probe of someone else's event (0: never). */
  probeEvery: number;
}

/** Logins in flight at once before the storm. */
const LOGINS_AT_ONCE = 32;
/** Tries at a login before the user sits the storm out. */
const LOGIN_TRIES = 8;

export function startRefreshFleet(options: RefreshFleetOptions): UserFleet {
  const config = validateUserFleetOptions({ ...options, stream: false });
  if (!Number.isFinite(options.ratePerUser) || options.ratePerUser < 0) throw new UsageError(`refresh ratePerUser must be >= 0, got ${options.ratePerUser}`);
  const run = AdapterRun.from(options, config.requestTimeoutMs, config.recorder);
  const calls = run.adapter.users.http;
  if (!calls) throw needsPlainHttp(run.adapter.name);
  const { recorder } = config;
  const random = seededRandom(config.seed ^ 0x0ef2_e5a);
  const stats: UserFleetStats = {
    requests: 0, logins: 0, pages: 0, shownEvents: 0, thumbnails: 0, probes: 0, errors: 0, streamMessages: 0, streamsOpen: 0, failedAttempts: 0, adapterFaults: 0,
    users: config.users.length, loggedIn: 0,
  };
  let stopping = false;
  const shared: RefreshShared = {
    recorder, calls, ctx: run.ctx, endpoint: run.adapter.endpoints[0]!, prefix: '', pageLimit: config.pageLimit, probeEvery: options.probeEvery,
    probeTargets: new ProbeTargets(config.world, config.recent), random,
    stopping: () => stopping,
    relogin: (user) => {
      if (user.relogging || stopping) return;
      user.relogging = true;
      void login(user.worldUser, user.userId).then((session) => {
        user.relogging = false;
        if (session === undefined) return;
        user.session = session;
        // The requests built with the old session are built again with the new one.
        user.client?.setRequests(user.requests());
      });
    },
    error: (user, source, message) => {
      stats.errors++;
      recorder.record({ type: 'error', t: Date.now(), source, message, userId: user.userId });
    },
    fault: (user, hook, message) => {
      stats.adapterFaults++;
      run.fault(hook, message, { userId: user.userId });
    },
    counted: (kind, shown = 0) => {
      stats[kind]++;
      stats.shownEvents += shown;
    },
  };

  /** One login through the adapter's hook, recorded as the user simulator records it; undefined when refused. */
  async function login(worldUser: RefreshUser['worldUser'], userId: string): Promise<unknown> {
    let code = 0;
    try {
      const session = await run.adapter.users.login(run.ctx, worldUser);
      if (stopping) return undefined;
      if (session === undefined) {
        shared.fault({ userId } as RefreshUser, 'users.login', 'returned no session (return the token, cookie jar or client)');
        return undefined;
      }
      stats.logins++;
      recorder.record({ type: 'user', t: Date.now(), userId, state: 'login' });
      return session;
    } catch (error) {
      if (stopping) return undefined;
      const failure = classifyFailure(error);
      if (failure.kind === 'fault') shared.fault({ userId } as RefreshUser, 'users.login', failure.message);
      else if (failure.kind === 'refused') code = failure.status;
      else shared.error({ userId } as RefreshUser, 'user.login', failure.message);
    }
    recorder.record({ type: 'user', t: Date.now(), userId, state: 'login-failed', code });
    return undefined;
  }

  /** Every user logged in, a few at a time, each tried a bounded number of times with backoff. */
  async function loginAll(): Promise<RefreshUser[]> {
    const users: RefreshUser[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < config.users.length && !stopping) {
        const user = config.users[next++]!;
        const worldUser = worldUserOf(user);
        for (let attempt = 0; attempt < LOGIN_TRIES && !stopping && Date.now() < config.deadline; attempt++) {
          const session = await login(worldUser, user.userId);
          if (session !== undefined) {
            users.push(new RefreshUser(worldUser, user.userId, session, shared));
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt + 1)).unref());
        }
      }
    };
    await Promise.all(Array.from({ length: LOGINS_AT_ONCE }, worker));
    return users;
  }

  function backoffMs(failures: number): number {
    return fullJitterBackoff(random, APP_BACKOFF, failures);
  }

  let instance: { stop?(): void } | undefined;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const storm = (async () => {
    const users = await loginAll();
    stats.loggedIn = users.length;
    const seconds = (config.deadline - Date.now()) / 1000;
    if (stopping || users.length === 0 || seconds <= 0) return;
    // One connection per user, so one endpoint for all its calls: the one the event list names (default: the first).
    try {
      shared.endpoint = calls.events.request(users[0]!.session, { limit: config.pageLimit }).endpoint ?? shared.endpoint;
    } catch {
      // Said as the adapter's fault when the first request is built.
    }
    const url = run.ctx.endpoints[shared.endpoint];
    if (url === undefined) {
      stats.adapterFaults++;
      return run.fault('users.http.events.request', `names endpoint ${shared.endpoint}, which the adapter does not declare`, {});
    }
    // autocannon is given the endpoint's origin; its path prefix goes before every call's path.
    const base = new URL(url);
    shared.prefix = base.pathname.replace(/\/+$/, '');
    let given = 0;
    const result = await new Promise<unknown>((resolve, reject) => {
      instance = (autocannon as unknown as (options: autocannon.Options, done: (error: Error | null, raw: unknown) => void) => { stop?(): void })({
        url: base.origin,
        connections: users.length,
        duration: seconds,
        maxOverallRequests: Math.max(users.length, config.maxRequests),
        timeout: config.requestTimeoutMs / 1000,
        // autocannon 9.0.0 corrects a rate-limited run for coordinated omission with an expected interval of
        // ceil(1 / rate) ms, i.e. 1 ms, which would fill the latency histogram with made-up values: the figures are
        // the answers' own.
        ...(options.ratePerUser > 0 ? { connectionRate: options.ratePerUser, ignoreCoordinatedOmission: true } : {}),
        // The raw result keeps its histograms encoded, so the run merges every worker's into one (report/load.ts).
        skipAggregateResult: true,
        setupClient(client: Client) {
          const user = users[given++]!;
          client.setRequests(user.requests());
          user.client = client;
          adoptClient(client, { body: user.body, backoffMs, burstMs: options.burstMs });
          (client as unknown as NodeJS.EventEmitter).on('request', () => user.sending());
          client.on('response', () => void stats.requests++);
          const failed = (message: string) => !stopping && shared.error(user, 'user.refresh', message);
          (client as unknown as NodeJS.EventEmitter).on('connError', (error: Error) => failed(`connection failed: ${error.message}`));
          (client as unknown as NodeJS.EventEmitter).on('timeout', () => failed(`no answer within ${config.requestTimeoutMs} ms`));
        },
      } as autocannon.Options, (error, raw) => (error ? reject(error) : resolve(raw)));
    });
    recorder.record({ type: 'load', t: Date.now(), tool: 'autocannon', connections: users.length, result: result as Record<string, unknown> });
  })().catch((error: unknown) => {
    recorder.record({ type: 'error', t: Date.now(), source: 'user.refresh', message: `autocannon failed: ${(error as Error).message}` });
  });
  void storm.finally(() => finish());

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // From here on nothing the users see is recorded; autocannon's own figures still are, once it hands them over.
      stopping = true;
      clearTimeout(deadlineTimer);
      run.stop();
      // autocannon ends at its next one-second sample and then hands over its figures, recorded before stopping.
      // (No stop when autocannon refused its options: it has already said why.)
      instance?.stop?.();
      await Promise.race([storm, new Promise((resolve) => setTimeout(resolve, config.requestTimeoutMs + 2_000).unref())]);
      finish();
    })();
    return stopped;
  };
  const deadlineTimer = setTimeout(() => void stop(), Math.max(0, config.deadline - Date.now()));
  return { stats: () => ({ ...stats }), stop, done };
}
