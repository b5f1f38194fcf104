/**
 * Simulated app users, driving any backend through its adapter's user hooks. One `UserDriver` drives every user
 * of a fleet: each user is a small record, does one thing at a time as a person would (log in, page through
 * events, refresh cameras, tap a thumbnail, now and then poke at someone else's), and holds the push channel beside
 * it. Stampede keeps the schedule, the request budget and every record; users never judge.
 */
import { camerasProblem, classifyFailure, eventPageProblem, thumbnailProblem } from '../../src/adapter/call.ts';
import type { CameraItem, EventPage, ShownItem, ThumbnailAnswer, WorldUser } from '../../src/adapter/types.ts';
import { worldUserOf } from '../../src/adapter/world-view.ts';
import type { HistoryRecord, ShownEvent } from '../../src/world/history.ts';
import { digest, readProvenance } from '../../src/world/provenance.ts';
import type { User } from '../../src/world/types.ts';
import type { AdapterRun } from './adapter-run.ts';
import { nativeHashes } from './native-hashes.ts';
import { fullJitterBackoff, jittered, type Random, seededRandom } from './random.ts';
import { ProbeTargets } from './probe-targets.ts';
import type { RecentEvent } from './recent-events.ts';
import type { FleetScheduler, Schedulable } from './scheduler.ts';
import type { UserFleetConfig } from './user-options.ts';
import { UserStreams } from './user-stream.ts';

/** Events a user remembers having been shown, to tap on later. */
export const REMEMBERED = 32;

/** One simulated user. */
export interface UserSim extends Schedulable {
  readonly user: User;
  readonly worldUser: WorldUser;
  /** What `login` returned; undefined while logged out. */
  session: unknown;
  /** A call is in flight; a person does one thing at a time. */
  busy: boolean;
  cursor: string | undefined;
  loginAttempts: number;
  /** Logins that failed since the last one that worked: carried as `retries` by the next `login` record. */
  loginFailures: number;
  /** The current streak of failed logins has had a refusal recorded: later ones are only counted. */
  loginRefused: boolean;
  nextLogin: number;
  nextPoll: number;
  nextCameras: number;
  nextTap: number;
  nextProbe: number;
  /** A ring of recently shown events (`REMEMBERED` long). */
  shown: RecentEvent[];
  shownNext: number;
  streamAttempts: number;
  /** Stream opens that failed since the last one that opened: carried as `retries` by the next `stream-open` record. */
  streamFailures: number;
  /** When the push channel may be (re)opened; Infinity while it is open or opening. */
  nextStream: number;
}

export interface UserCounters {
  requests: number;
  logins: number;
  pages: number;
  shownEvents: number;
  thumbnails: number;
  probes: number;
  errors: number;
  streamMessages: number;
  streamsOpen: number;
  /** Logins and stream opens that failed, each tried again after a backoff: counted, never recorded one by one. */
  failedAttempts: number;
  /** Hooks that threw something not the backend's, or returned the wrong shape: any makes the run an error. */
  adapterFaults: number;
}

type Action = (sim: UserSim) => Promise<void>;

/** Today's error sources per hook, so records read as they did before adapters. */
const SOURCES: Record<string, string> = {
  'users.login': 'user.login', 'users.events': 'user.events', 'users.cameras': 'user.cameras',
  'users.thumbnail': 'user.thumbnail', 'users.probe': 'user.probe', 'users.push': 'user.stream',
};

export class UserDriver {
  readonly counters: UserCounters = {
    requests: 0, logins: 0, pages: 0, shownEvents: 0, thumbnails: 0, probes: 0, errors: 0, streamMessages: 0, streamsOpen: 0, failedAttempts: 0, adapterFaults: 0,
  };
  stopping = false;
  inflight = 0;
  readonly streams: UserStreams;
  private readonly random: Random;
  private readonly probeTargets: ProbeTargets;

  constructor(
    private readonly config: UserFleetConfig,
    readonly run: AdapterRun,
    private readonly scheduler: FleetScheduler<UserSim>,
    private readonly onIdle: () => void,
  ) {
    this.random = seededRandom(config.seed ^ 0x05e2_5eed);
    this.streams = new UserStreams(this, config, this.random);
    this.probeTargets = new ProbeTargets(config.world, config.recent);
  }

  newSim(user: User, startAt: number): UserSim {
    return {
      user, worldUser: worldUserOf(user), session: undefined, busy: false, cursor: undefined, loginAttempts: 0, loginFailures: 0, loginRefused: false, nextLogin: startAt,
      nextPoll: startAt, nextCameras: startAt, nextTap: startAt + this.gap(this.config.tapMs),
      nextProbe: this.config.probeMs > 0 ? startAt + this.gap(this.config.probeMs) : Infinity,
      shown: [], shownNext: 0, streamAttempts: 0, streamFailures: 0, nextStream: startAt, dueAt: 0, heapIndex: -1,
    };
  }

  /** Whether the user holds a push channel at all: the fleet asks for it and the adapter has one. */
  get streaming(): boolean {
    return this.config.stream && this.run.adapter.users.push !== undefined;
  }

  /** The scheduler's callback. */
  readonly due = (sim: UserSim, now: number): void => {
    if (this.stopping) return;
    if (this.streaming && sim.session !== undefined && now >= sim.nextStream) this.streams.openFor(sim);
    if (!sim.busy) {
      const action = this.pick(sim, now);
      if (action && this.take()) {
        sim.busy = true;
        this.inflight++;
        void action(sim).finally(() => {
          sim.busy = false;
          this.inflight--;
          if (this.stopping) {
            if (this.inflight === 0) this.onIdle();
          } else this.reschedule(sim);
        });
        return;
      }
    }
    this.reschedule(sim);
  };

  reschedule(sim: UserSim): void {
    if (this.stopping || sim.busy || this.counters.requests >= this.config.maxRequests) return;
    const loggedIn = sim.session !== undefined;
    let next = loggedIn ? Math.min(sim.nextPoll, sim.nextCameras, sim.nextTap, sim.nextProbe) : sim.nextLogin;
    if (this.streaming && loggedIn) next = Math.min(next, sim.nextStream);
    if (next !== Infinity) this.scheduler.schedule(sim, Math.max(next, Date.now() + 1));
  }

  /**
   * At the fleet's stop: a user still failing to log in or to open its stream makes its last record carry the
   * retries no `login` or `stream-open` will carry (see the `user` record in history.ts).
   */
  recordUnfinished(sim: UserSim): void {
    const t = Date.now();
    const { userId } = sim.user;
    if (sim.session === undefined && sim.loginFailures > 0) {
      this.config.recorder.record({ type: 'user', t, userId, state: 'login-failed', retries: sim.loginFailures });
    } else if (sim.streamFailures > 0) {
      this.config.recorder.record({ type: 'user', t, userId, state: 'stream-closed', code: 1001, retries: sim.streamFailures });
    }
    sim.loginFailures = 0;
    sim.streamFailures = 0;
  }

  /** Remembers events the user was shown, for taps later. */
  remember(sim: UserSim, events: ShownEvent[]): void {
    this.counters.shownEvents += events.length;
    for (const { cameraId, eventId } of events) {
      sim.shown[sim.shownNext] = { cameraId, eventId };
      sim.shownNext = (sim.shownNext + 1) % REMEMBERED;
    }
  }

  /** The session was refused: log in again before anything else. */
  loggedOut(sim: UserSim): void {
    sim.session = undefined;
    sim.nextLogin = Date.now();
  }

  /** The user's next request, if one is due; taps and probes with nothing to open are skipped, costing no request. */
  private pick(sim: UserSim, now: number): Action | undefined {
    if (sim.session === undefined) return now >= sim.nextLogin ? this.login : undefined;
    for (;;) {
      const soonest = Math.min(sim.nextPoll, sim.nextCameras, sim.nextTap, sim.nextProbe);
      if (soonest > now) return undefined;
      if (soonest === sim.nextPoll) return this.poll;
      if (soonest === sim.nextCameras) return this.cameras;
      if (soonest === sim.nextTap) {
        sim.nextTap = now + this.gap(this.config.tapMs);
        const shown = sim.shown[Math.floor(this.random() * sim.shown.length)];
        if (shown) return (user) => this.thumbnail(user, shown, false);
        continue;
      }
      sim.nextProbe = now + this.gap(this.config.probeMs);
      const other = this.probeTargets.pick(sim.user.userId, this.random);
      if (other) return (user) => this.thumbnail(user, other, true);
    }
  }

  private take(): boolean {
    if (this.counters.requests >= this.config.maxRequests) return false;
    this.counters.requests++;
    return true;
  }

  private gap(mean: number): number {
    return jittered(this.random, mean);
  }

  private readonly login: Action = async (sim) => {
    const { userId } = sim.user;
    let session: unknown;
    let code = 0;
    try {
      session = await this.run.adapter.users.login(this.run.ctx, sim.worldUser);
      if (session === undefined) this.fault(sim, 'users.login', 'returned no session (return the token, cookie jar or client)');
    } catch (error) {
      if (this.stopping) return;
      const failure = classifyFailure(error);
      if (failure.kind === 'refused') code = failure.status;
      if (failure.kind !== 'refused' || failure.status !== 401) this.failed(sim, 'users.login', error);
    }
    const t = Date.now();
    if (this.stopping) return;
    if (session !== undefined) {
      sim.session = session;
      sim.loginAttempts = 0;
      this.counters.logins++;
      this.config.recorder.record({ type: 'user', t, userId, state: 'login', ...retries(sim.loginFailures) });
      sim.loginFailures = 0;
      sim.loginRefused = false;
      return;
    }
    // A retry costs a count, not a record: only the first refusal of a streak says what the target answered.
    if (code !== 0 && !sim.loginRefused) {
      sim.loginRefused = true;
      this.config.recorder.record({ type: 'user', t, userId, state: 'login-failed', code });
    }
    sim.loginFailures++;
    this.counters.failedAttempts++;
    sim.nextLogin = t + fullJitterBackoff(this.random, this.config.streamBackoff, sim.loginAttempts++);
  };

  private readonly poll: Action = async (sim) => {
    const start = Date.now();
    let page: EventPage | undefined;
    try {
      page = await this.run.adapter.users.events(this.run.ctx, sim.session, { cursor: sim.cursor, limit: this.config.pageLimit });
    } catch (error) {
      page = undefined;
      if (!this.stopping) this.failed(sim, 'users.events', error);
    }
    const t = Date.now();
    if (this.stopping) return;
    sim.nextPoll = t + this.gap(this.config.pollMs);
    if (!page) return;
    const problem = eventPageProblem(page);
    if (problem) return this.fault(sim, 'users.events', problem);
    const events = page.events.map(shownEvent);
    this.counters.pages++;
    this.config.recorder.record({ type: 'shown', surface: 'list', start, t, userId: sim.user.userId, events });
    this.remember(sim, events);
    sim.cursor = page.next;
    // A full page means more is waiting: catch up at once rather than a poll interval later.
    if (events.length >= this.config.pageLimit) sim.nextPoll = t;
  };

  /**
   * The app comes back (its push channel reopened): like a real app resuming, it refreshes its home screen at once,
   * the camera list and the events it missed, which only the list can show.
   */
  resume(sim: UserSim): void {
    const now = Date.now();
    sim.nextPoll = now;
    sim.nextCameras = now;
    if (!sim.busy) this.reschedule(sim);
  }

  private readonly cameras: Action = async (sim) => {
    const start = Date.now();
    let list: CameraItem[] | undefined;
    try {
      list = await this.run.adapter.users.cameras(this.run.ctx, sim.session);
    } catch (error) {
      list = undefined;
      if (!this.stopping) this.failed(sim, 'users.cameras', error);
    }
    const t = Date.now();
    if (this.stopping) return;
    sim.nextCameras = t + this.gap(this.config.camerasMs);
    if (!list) return;
    const problem = camerasProblem(list);
    if (problem) return this.fault(sim, 'users.cameras', problem);
    const cameras = list.map(({ cameraId, role }) => ({ cameraId, role }));
    this.config.recorder.record({ type: 'cameras', start, t, userId: sim.user.userId, cameras });
  };

  private async thumbnail(sim: UserSim, event: RecentEvent, probe: boolean): Promise<void> {
    const { users } = this.run.adapter;
    const hook = probe && users.probe ? 'users.probe' : 'users.thumbnail';
    const start = Date.now();
    let answer: ThumbnailAnswer | undefined;
    try {
      const item = { eventId: event.eventId, cameraId: event.cameraId };
      answer = await (probe && users.probe ? users.probe(this.run.ctx, sim.session, item) : users.thumbnail(this.run.ctx, sim.session, item));
    } catch (error) {
      const failure = classifyFailure(error);
      // A refusal thrown is the same answer as one returned.
      if (failure.kind === 'refused') answer = { status: failure.status };
      else if (!this.stopping) return this.failed(sim, probe ? 'users.probe' : hook, error, hook);
    }
    const t = Date.now();
    if (this.stopping || !answer) return;
    const problem = thumbnailProblem(answer);
    if (problem) return this.fault(sim, hook, problem);
    if (answer.status === 401) this.loggedOut(sim);
    this.counters[probe ? 'probes' : 'thumbnails']++;
    this.config.recorder.record(thumbnailRecord(sim.user.userId, event, probe, start, t, answer));
  }

  /**
   * Records why a hook failed: a 401 means logging in again, other refusals and the backend's failures are the
   * target's errors (under `source`'s old name), anything else is an adapter fault (under `hook`).
   */
  failed(sim: UserSim, source: string, error: unknown, hook = source): void {
    const failure = classifyFailure(error);
    if (failure.kind === 'fault') return this.fault(sim, hook, failure.message);
    if (failure.kind === 'refused' && failure.status === 401) return this.loggedOut(sim);
    this.error(sim, SOURCES[source] ?? source, failure.message);
  }

  error(sim: UserSim, source: string, message: string): void {
    this.counters.errors++;
    this.config.recorder.record({ type: 'error', t: Date.now(), source, message, userId: sim.user.userId });
  }

  fault(sim: UserSim, hook: string, message: string): void {
    this.counters.adapterFaults++;
    this.run.fault(hook, message, { userId: sim.user.userId });
  }
}

/** The `retries` field of a record that ends a streak of failed attempts: left out when there were none. */
export function retries(failures: number): { retries?: number } {
  return failures > 0 ? { retries: failures } : {};
}

/** Only what Stampede records of a shown item; a backend that shows no kind or time leaves them empty. */
export function shownEvent(item: ShownItem): ShownEvent {
  return { eventId: item.eventId, cameraId: item.cameraId, kind: item.kind ?? '', ts: item.ts ?? 0 };
}

/** A thumbnail fetch as recorded: the status, and for bytes their size, digest and the provenance they carry. */
export function thumbnailRecord(userId: string, event: RecentEvent, probe: boolean, start: number, t: number, answer: ThumbnailAnswer): HistoryRecord {
  const bytes = answer.bytes;
  return {
    type: 'thumbnail', start, t, userId, eventId: event.eventId, cameraId: event.cameraId, probe, status: answer.status,
    ...(bytes ? { bytes: bytes.length, digest: digest(bytes, nativeHashes), provenance: readProvenance(bytes) } : {}),
  };
}
