/**
 * Simulated cameras, driving any backend through its adapter's device hooks. One `CameraDriver` drives every
 * camera of a fleet: each camera is a small record (its connection, counters and unacknowledged events), and the
 * fleet's one scheduler says when a camera next acts. Stampede keeps the policy (when to connect, reconnect,
 * resend, give up on an ack) and every record; the adapter only moves bytes. Cameras record; they never judge.
 */
import { classifyFailure, connectionProblem } from '../../src/adapter/call.ts';
import type { DeviceConnection, DeviceLink, WorldCamera } from '../../src/adapter/types.ts';
import { sharesByCamera, worldCameraOf } from '../../src/adapter/world-view.ts';
import { EVENT_KINDS } from '../../src/protocol/schema.ts';
import { eventIdOf } from '../../src/world/event-id.ts';
import type { Camera } from '../../src/world/types.ts';
import type { AdapterRun } from './adapter-run.ts';
import type { CameraFleetConfig } from './camera-options.ts';
import { makeEvent } from './camera-event.ts';
import { jittered, type Random, seededRandom } from './random.ts';
import { reconnectDelay } from './reconnect.ts';
import type { FleetScheduler, Schedulable } from './scheduler.ts';

type CameraState = 'waiting' | 'connecting' | 'live' | 'stopped';

/** Close codes recorded for closes the camera makes itself, as a WebSocket would report them. */
const CUT = 1006;
const LEAVING = 1001;
/** The adapter's connect gives up after the welcome timeout; the camera's own guard waits this much longer. */
const CONNECT_GRACE_MS = 1000;

/** An event sent but not yet acknowledged; kept small because its thumbnail is rebuilt from the id on resend. */
interface PendingEvent {
  kind: number;
  ts: number;
  sentAt: number;
}

/**
 * What the adapter reports to, one per connect attempt: a report through a link that is no longer the camera's
 * (an abandoned or replaced attempt) is ignored.
 */
class CameraLink implements DeviceLink {
  constructor(readonly sim: CameraSim) {}

  acked(eventId: string): void {
    if (this.sim.link === this) this.sim.driver.handleAck(this.sim, eventId);
  }

  dropped(reason?: string, code?: number): void {
    if (this.sim.link === this) this.sim.driver.handleDrop(this.sim, reason, code);
  }

  unreadable(message: string): void {
    if (this.sim.link === this) this.sim.driver.handleUnreadable(this.sim, message);
  }
}

/** One simulated camera. */
export interface CameraSim extends Schedulable {
  readonly camera: Camera;
  readonly worldCamera: WorldCamera;
  readonly driver: CameraDriver;
  state: CameraState;
  /** The current connect attempt's link, until it fails or drops. */
  link: CameraLink | undefined;
  /** The live connection, once the backend accepted it. */
  connection: DeviceConnection | undefined;
  /** Events this camera has created; the next id is `eventIdOf(cameraId, created + 1)`. */
  created: number;
  unacked: Map<string, PendingEvent>;
  /** Failed connects since the last welcome: drives the backoff, and is recorded as a count on the next welcome. */
  failures: number;
  /** When the next new event is due while live; kept across reconnects so a flapping camera keeps its pace. */
  nextEventAt: number;
  /**
   * Only the first connection error and the first refusal of a streak of failed connects are recorded, so an
   * outage does not flood the history: the rest are only counted.
   */
  errorRecorded: boolean;
  refusalRecorded: boolean;
}

export interface CameraCounters {
  created: number;
  sent: number;
  resent: number;
  acked: number;
  connects: number;
  welcomes: number;
  closes: number;
  refused: number;
  garbage: number;
  live: number;
  /** Hooks that threw something not the backend's, or returned the wrong shape: any makes the run an error. */
  adapterFaults: number;
}

export class CameraDriver {
  readonly counters: CameraCounters = {
    created: 0, sent: 0, resent: 0, acked: 0, connects: 0, welcomes: 0, closes: 0, refused: 0, garbage: 0, live: 0, adapterFaults: 0,
  };
  stopping = false;
  private readonly random: Random;
  private readonly interval: number;
  /** No new events from this time on (the quiet stretch before the deadline). */
  private readonly quietFrom: number;
  private readonly shares: ReadonlyMap<string, string[]>;

  constructor(
    private readonly config: CameraFleetConfig,
    private readonly run: AdapterRun,
    private readonly scheduler: FleetScheduler<CameraSim>,
  ) {
    this.random = seededRandom(config.seed ^ 0x5eed_ca3e);
    this.interval = 1000 / config.rate;
    this.quietFrom = config.deadline - config.quietMs;
    this.shares = sharesByCamera(config.world);
  }

  newSim(camera: Camera): CameraSim {
    return {
      camera, worldCamera: worldCameraOf(camera, this.shares), driver: this, state: 'waiting', link: undefined,
      connection: undefined, created: 0, unacked: new Map(), failures: 0, nextEventAt: 0, errorRecorded: false, refusalRecorded: false,
      dueAt: 0, heapIndex: -1,
    };
  }

  /** The scheduler's callback: what a camera does when its time comes depends on its state. */
  readonly due = (sim: CameraSim, now: number): void => {
    if (this.stopping) return;
    if (sim.state === 'waiting') this.connect(sim, now);
    else if (sim.state === 'connecting') this.abandon(sim); // the adapter did not give up in time: the camera does
    else if (sim.state === 'live') this.liveTick(sim, now);
  };

  /** An attempt is not recorded: a failed one is counted on the camera's next welcome, a welcomed one is its welcome. */
  private connect(sim: CameraSim, now: number): void {
    sim.state = 'connecting';
    this.counters.connects++;
    const link = new CameraLink(sim);
    sim.link = link;
    this.scheduler.schedule(sim, now + this.config.welcomeTimeoutMs + CONNECT_GRACE_MS);
    let connecting: Promise<DeviceConnection>;
    try {
      connecting = Promise.resolve(this.run.adapter.devices.connect(this.run.ctx, sim.worldCamera, link));
    } catch (error) {
      connecting = Promise.reject(error);
    }
    connecting.then(
      (connection) => this.connected(link, connection),
      (error) => this.connectFailed(link, error),
    );
  }

  private connected(link: CameraLink, connection: DeviceConnection): void {
    const sim = link.sim;
    if (sim.link !== link || this.stopping) {
      // Abandoned meanwhile, or the fleet is stopping: this connection is nobody's.
      if (connectionProblem(connection) === undefined) this.closeQuietly(connection);
      return;
    }
    const problem = connectionProblem(connection);
    if (problem) {
      this.fault(sim, 'devices.connect', problem);
      sim.link = undefined;
      return this.closed(sim, undefined);
    }
    sim.connection = connection;
    this.welcome(sim, Date.now());
  }

  private connectFailed(link: CameraLink, error: unknown): void {
    const sim = link.sim;
    if (sim.link !== link || this.stopping) return;
    sim.link = undefined;
    const failure = classifyFailure(error);
    if (failure.kind === 'refused') return this.closed(sim, failure.code ?? failure.status, failure.status === 401);
    if (failure.kind === 'fault') this.fault(sim, 'devices.connect', failure.message);
    else this.connectionError(sim, failure.message);
    this.closed(sim, failure.kind === 'target' ? failure.code : undefined);
  }

  /** The connect is long overdue: forget it (a late connection is closed) and try again by policy. */
  private abandon(sim: CameraSim): void {
    sim.link = undefined;
    this.closed(sim, CUT);
  }

  private liveTick(sim: CameraSim, now: number): void {
    for (const pending of sim.unacked.values()) {
      // Map order is send order, so the first entry is the oldest.
      if (now - pending.sentAt > this.config.ackTimeoutMs) return this.cut(sim);
      break;
    }
    const emitting = this.counters.created < this.config.maxEvents && now < this.quietFrom;
    if (now >= sim.nextEventAt && emitting) {
      sim.created++;
      this.counters.created++;
      const eventId = eventIdOf(sim.camera.cameraId, sim.created);
      const pending: PendingEvent = { kind: Math.floor(this.random() * EVENT_KINDS.length), ts: now, sentAt: now };
      sim.unacked.set(eventId, pending);
      this.send(sim, eventId, pending, false);
      if (sim.state !== 'live') return; // the send failed and the connection is gone
      sim.nextEventAt = now + jittered(this.random, this.interval);
    }
    // Out of budget or quiet, the camera only wakes to police its acks.
    const next = emitting ? sim.nextEventAt : now + this.config.ackTimeoutMs;
    this.scheduler.schedule(sim, Math.max(next, now + 1));
  }

  /** Sends one event; a resend rebuilds the very same bytes from the ids. */
  private send(sim: CameraSim, eventId: string, pending: PendingEvent, resend: boolean): void {
    const connection = sim.connection;
    if (!connection) return;
    const { cameraId } = sim.camera;
    const { runId } = this.config.world;
    const made = makeEvent({ runId, cameraId, eventId, kind: pending.kind, ts: pending.ts, sizes: this.config.thumbnailBytes, key: this.config.key });
    const { kind, thumbnail, digest, check } = made;
    const t = Date.now();
    try {
      const sending = connection.send({ eventId, cameraId, kind, ts: pending.ts, thumbnail });
      if (sending) sending.then(undefined, (error) => this.sendFailed(sim, connection, error));
    } catch (error) {
      return this.sendFailed(sim, connection, error);
    }
    pending.sentAt = t;
    this.counters.sent++;
    if (resend) this.counters.resent++;
    this.config.recorder.record({ type: 'sent', t, cameraId, eventId, kind, ts: pending.ts, bytes: thumbnail.length, digest, check });
  }

  /**
   * A send the backend's side failed is left to the drop that follows (or to the ack timeout): the event stays
   * unacknowledged and is resent. An adapter fault cuts the connection.
   */
  private sendFailed(sim: CameraSim, connection: DeviceConnection, error: unknown): void {
    const failure = classifyFailure(error);
    if (failure.kind !== 'fault' || sim.connection !== connection) return;
    this.fault(sim, 'devices.send', failure.message);
    this.cut(sim);
  }

  handleAck(sim: CameraSim, eventId: string): void {
    const { cameraId } = sim.camera;
    if (!eventId.startsWith(`${cameraId}.e`)) return this.handleUnreadable(sim, `unexpected device message: ack of ${eventId.slice(0, 80)}`);
    this.counters.acked++;
    this.config.recorder.record({ type: 'acked', t: Date.now(), cameraId, eventId });
    if (sim.unacked.delete(eventId)) this.config.recent?.add(cameraId, eventId);
  }

  handleUnreadable(sim: CameraSim, message: string): void {
    this.counters.garbage++;
    this.config.recorder.record({ type: 'error', t: Date.now(), source: 'camera', cameraId: sim.camera.cameraId, message: String(message).slice(0, 200) });
  }

  handleDrop(sim: CameraSim, reason: string | undefined, code: number | undefined): void {
    sim.link = undefined;
    sim.connection = undefined;
    if (reason !== undefined) this.connectionError(sim, String(reason));
    this.closed(sim, typeof code === 'number' ? code : undefined);
  }

  private welcome(sim: CameraSim, t: number): void {
    const retries = sim.failures;
    sim.state = 'live';
    sim.failures = 0;
    sim.errorRecorded = sim.refusalRecorded = false;
    this.counters.welcomes++;
    this.counters.live++;
    this.config.recorder.record({ type: 'camera', t, cameraId: sim.camera.cameraId, state: 'welcome', ...(retries > 0 ? { retries } : {}) });
    for (const [eventId, pending] of sim.unacked) {
      this.send(sim, eventId, pending, true);
      if (sim.state !== 'live') return;
    }
    if (sim.nextEventAt === 0) sim.nextEventAt = t + this.random() * this.interval;
    this.scheduler.schedule(sim, Math.max(sim.nextEventAt, t + 1));
  }

  /** The camera drops its own connection (an ack overdue, an adapter fault) and reconnects by policy. */
  private cut(sim: CameraSim): void {
    const connection = sim.connection;
    sim.link = undefined;
    sim.connection = undefined;
    if (connection) this.closeQuietly(connection);
    this.closed(sim, CUT);
  }

  /**
   * A connection ended or a connect failed. Only the end of a welcomed connection is recorded as `closed`, and the
   * first refusal of a streak as `refused`; every other failed attempt is only counted, so a dead target costs the
   * history nothing per retry.
   */
  private closed(sim: CameraSim, code: number | undefined, refused = false): void {
    const wasLive = sim.state === 'live';
    if (wasLive) this.counters.live--;
    else sim.failures++;
    this.counters.closes++;
    const t = Date.now();
    if (refused) this.counters.refused++;
    const recorded = wasLive || (refused && !sim.refusalRecorded);
    if (refused) sim.refusalRecorded = true;
    if (recorded) this.config.recorder.record({ type: 'camera', t, cameraId: sim.camera.cameraId, state: refused ? 'refused' : 'closed', ...(code === undefined ? {} : { code }) });
    if (this.stopping) {
      sim.state = 'stopped';
      return;
    }
    // Any close, a replaced connection's included, is followed by a reconnect: this process is the camera's only live self.
    sim.state = 'waiting';
    this.scheduler.schedule(sim, t + reconnectDelay(this.config.policy, sim.failures, this.random));
  }

  private connectionError(sim: CameraSim, message: string): void {
    if (sim.errorRecorded || this.stopping) return;
    sim.errorRecorded = true;
    this.config.recorder.record({ type: 'error', t: Date.now(), source: 'camera', cameraId: sim.camera.cameraId, message });
  }

  private fault(sim: CameraSim, hook: string, message: string): void {
    this.counters.adapterFaults++;
    this.run.fault(hook, message, { cameraId: sim.camera.cameraId });
  }

  /** Closes a connection, waiting at most `graceMs`; a close that throws is an adapter fault, a hung one is left. */
  closeQuietly(connection: DeviceConnection, sim?: CameraSim, graceMs = 0): Promise<void> {
    let closing: void | Promise<void>;
    try {
      closing = connection.close();
    } catch (error) {
      if (sim && classifyFailure(error).kind === 'fault') this.fault(sim, 'devices.close', classifyFailure(error).message);
      return Promise.resolve();
    }
    if (!closing) return Promise.resolve();
    const settled = closing.then(undefined, (error) => {
      if (sim && classifyFailure(error).kind === 'fault') this.fault(sim, 'devices.close', classifyFailure(error).message);
    });
    return graceMs > 0 ? Promise.race([settled, new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref())]) : settled;
  }

  /**
   * Stops every camera: live connections are closed (recorded as closed 1001), attempts in flight forgotten. A
   * camera still failing to come back makes its last record a closed 1001 too, carrying the retries no welcome
   * will carry.
   */
  async stopAll(sims: readonly CameraSim[], graceMs: number): Promise<void> {
    this.stopping = true;
    const closing: Promise<void>[] = [];
    for (const sim of sims) {
      const connection = sim.connection;
      sim.link = undefined;
      sim.connection = undefined;
      if (connection) closing.push(this.closeQuietly(connection, sim, graceMs));
      if (sim.state === 'live') this.closed(sim, LEAVING);
      else if (sim.failures > 0) {
        this.config.recorder.record({ type: 'camera', t: Date.now(), cameraId: sim.camera.cameraId, state: 'closed', code: LEAVING, retries: sim.failures });
      }
      sim.state = 'stopped';
    }
    await Promise.all(closing);
  }
}
