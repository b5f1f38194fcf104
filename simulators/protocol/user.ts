/**
 * Simulated app users. One `UserDriver` drives every user of a fleet: each user is a small record, does one HTTP
 * thing at a time as a person would (log in, page through events, refresh cameras, tap a thumbnail, now and then
 * poke at someone else's), and holds the push stream beside it. Users record what they were shown; they never judge.
 */
import { ANSWER_BOUNDS } from '../../src/protocol/limits.ts';
import { LoginAnswer, CameraList, EventPage, thumbnailPath } from '../../src/protocol/schema.ts';
import type { ShownEvent } from '../../src/world/history.ts';
import { digest, readProvenance } from '../../src/world/provenance.ts';
import type { User } from '../../src/world/types.ts';
import { endpoint } from '../../src/protocol/endpoint.ts';
import { nativeHashes } from './native-hashes.ts';
import { jittered, type Random, seededRandom } from './random.ts';
import { ProbeTargets } from './probe-targets.ts';
import type { RecentEvent } from './recent-events.ts';
import type { FleetScheduler, Schedulable } from './scheduler.ts';
import type { UserFleetConfig } from './user-options.ts';
import type { Answer, TargetClient } from './user-http.ts';
import { UserStreams } from './user-stream.ts';

/** Events a user remembers having been shown, to tap on later. */
const REMEMBERED = 32;

/** One simulated user. */
export interface UserSim extends Schedulable {
  readonly user: User;
  token: string | undefined;
  /** An HTTP call is in flight; a person does one thing at a time. */
  busy: boolean;
  cursor: string | undefined;
  loginAttempts: number;
  nextLogin: number;
  nextPoll: number;
  nextCameras: number;
  nextTap: number;
  nextProbe: number;
  /** A ring of recently shown events (`REMEMBERED` long). */
  shown: RecentEvent[];
  shownNext: number;
  streamAttempts: number;
  /** When the stream may be (re)opened; Infinity while it is open or opening. */
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
}

type Action = (sim: UserSim) => Promise<void>;

export class UserDriver {
  readonly counters: UserCounters = {
    requests: 0, logins: 0, pages: 0, shownEvents: 0, thumbnails: 0, probes: 0, errors: 0, streamMessages: 0, streamsOpen: 0,
  };
  stopping = false;
  inflight = 0;
  readonly streams: UserStreams;
  private readonly random: Random;
  private readonly probeTargets: ProbeTargets;

  constructor(
    private readonly config: UserFleetConfig,
    private readonly client: TargetClient,
    target: string,
    private readonly scheduler: FleetScheduler<UserSim>,
    private readonly onIdle: () => void,
  ) {
    this.random = seededRandom(config.seed ^ 0x05e2_5eed);
    this.streams = new UserStreams(this, config, endpoint(target, '/v1/stream', 'ws'), this.random);
    this.probeTargets = new ProbeTargets(config.world, config.recent);
  }

  newSim(user: User, startAt: number): UserSim {
    return {
      user, token: undefined, busy: false, cursor: undefined, loginAttempts: 0, nextLogin: startAt,
      nextPoll: startAt, nextCameras: startAt, nextTap: startAt + this.gap(this.config.tapMs),
      nextProbe: this.config.probeMs > 0 ? startAt + this.gap(this.config.probeMs) : Infinity,
      shown: [], shownNext: 0, streamAttempts: 0, nextStream: startAt, dueAt: 0, heapIndex: -1,
    };
  }

  /** The scheduler's callback. */
  readonly due = (sim: UserSim, now: number): void => {
    if (this.stopping) return;
    if (this.config.stream && sim.token && now >= sim.nextStream) this.streams.openFor(sim);
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
    let next = sim.token ? Math.min(sim.nextPoll, sim.nextCameras, sim.nextTap, sim.nextProbe) : sim.nextLogin;
    if (this.config.stream && sim.token) next = Math.min(next, sim.nextStream);
    if (next !== Infinity) this.scheduler.schedule(sim, Math.max(next, Date.now() + 1));
  }

  /** Remembers events the user was shown, for taps later. */
  remember(sim: UserSim, events: ShownEvent[]): void {
    this.counters.shownEvents += events.length;
    for (const { cameraId, eventId } of events) {
      sim.shown[sim.shownNext] = { cameraId, eventId };
      sim.shownNext = (sim.shownNext + 1) % REMEMBERED;
    }
  }

  /** The token was refused: log in again before anything else. */
  loggedOut(sim: UserSim): void {
    sim.token = undefined;
    sim.nextLogin = Date.now();
  }

  /** The user's next request, if one is due; taps and probes with nothing to open are skipped, costing no request. */
  private pick(sim: UserSim, now: number): Action | undefined {
    if (!sim.token) return now >= sim.nextLogin ? this.login : undefined;
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
    const { userId, email, password } = sim.user;
    const answer = await this.client.json('POST', '/v1/login', undefined, LoginAnswer, ANSWER_BOUNDS.small, { email, password });
    const t = Date.now();
    if (this.stopping) return;
    if (answer.ok) {
      sim.token = answer.value.token;
      sim.loginAttempts = 0;
      this.counters.logins++;
      this.config.recorder.record({ type: 'user', t, userId, state: 'login' });
      return;
    }
    this.config.recorder.record({ type: 'user', t, userId, state: 'login-failed', code: answer.status });
    if (answer.status !== 401) this.error(sim, 'user.login', answer.problem);
    const { baseMs, capMs } = this.config.streamBackoff;
    sim.nextLogin = t + Math.max(1, this.random() * Math.min(capMs, baseMs * 2 ** Math.min(sim.loginAttempts++, 30)));
  };

  private readonly poll: Action = async (sim) => {
    const since = sim.cursor === undefined ? '' : `&since=${encodeURIComponent(sim.cursor)}`;
    const start = Date.now();
    const answer = await this.client.json('GET', `/v1/events?limit=${this.config.pageLimit}${since}`, sim.token, EventPage, ANSWER_BOUNDS.eventPage);
    const t = Date.now();
    if (this.stopping) return;
    sim.nextPoll = t + this.gap(this.config.pollMs);
    if (!this.accepted(sim, 'user.events', answer)) return;
    const events = answer.value.events.map(({ eventId, cameraId, kind, ts }) => ({ eventId, cameraId, kind, ts }));
    this.counters.pages++;
    this.config.recorder.record({ type: 'shown', surface: 'list', start, t, userId: sim.user.userId, events });
    this.remember(sim, events);
    sim.cursor = answer.value.next;
    // A full page means more is waiting: catch up at once rather than a poll interval later.
    if (events.length >= this.config.pageLimit) sim.nextPoll = t;
  };

  /**
   * The app comes back (its stream reconnected): like a real app resuming, it refreshes its home screen at once,
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
    const answer = await this.client.json('GET', '/v1/cameras', sim.token, CameraList, ANSWER_BOUNDS.cameraList);
    const t = Date.now();
    if (this.stopping) return;
    sim.nextCameras = t + this.gap(this.config.camerasMs);
    if (!this.accepted(sim, 'user.cameras', answer)) return;
    const cameras = answer.value.cameras.map(({ cameraId, role }) => ({ cameraId, role }));
    this.config.recorder.record({ type: 'cameras', start, t, userId: sim.user.userId, cameras });
  };

  private async thumbnail(sim: UserSim, event: RecentEvent, probe: boolean): Promise<void> {
    const start = Date.now();
    const answer = await this.client.bytes(thumbnailPath(encodeURIComponent(event.eventId)), sim.token!, ANSWER_BOUNDS.thumbnail);
    const t = Date.now();
    if (this.stopping) return;
    if (!answer.ok) return this.error(sim, probe ? 'user.probe' : 'user.thumbnail', answer.problem);
    if (answer.status === 401) this.loggedOut(sim);
    this.counters[probe ? 'probes' : 'thumbnails']++;
    const bytes = answer.value;
    this.config.recorder.record({
      type: 'thumbnail', start, t, userId: sim.user.userId, eventId: event.eventId, cameraId: event.cameraId, probe,
      status: answer.status,
      ...(bytes ? { bytes: bytes.length, digest: digest(bytes, nativeHashes), provenance: readProvenance(bytes) } : {}),
    });
  }

  /** True on a good answer; otherwise records why (a 401 just means logging in again). */
  private accepted<T>(sim: UserSim, source: string, answer: Answer<T>): answer is Extract<Answer<T>, { ok: true }> {
    if (answer.ok) return true;
    if (answer.status === 401) this.loggedOut(sim);
    else this.error(sim, source, answer.problem);
    return false;
  }

  error(sim: UserSim, source: string, message: string): void {
    this.counters.errors++;
    this.config.recorder.record({ type: 'error', t: Date.now(), source, message, userId: sim.user.userId });
  }
}
