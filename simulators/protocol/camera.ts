/**
 * Simulated cameras on `/v1/device`. One `CameraDriver` drives every camera of a fleet: each camera is a small
 * record (its socket, counters and unacknowledged events), the socket handlers are shared functions, and the
 * fleet's one scheduler says when a camera next acts. Cameras record what they sent and saw; they never judge.
 */
import WebSocket from 'ws';
import { socketErrorText } from '../../src/protocol/answer-body.ts';
import { MAX_TARGET_FRAME_BYTES } from '../../src/protocol/limits.ts';
import { Ack, CloseCode, EVENT_KINDS, Welcome } from '../../src/protocol/schema.ts';
import { eventIdOf } from '../../src/world/event-id.ts';
import type { Camera } from '../../src/world/types.ts';
import type { CameraFleetConfig } from './camera-options.ts';
import { eventFrame } from './camera-event.ts';
import { jittered, type Random, seededRandom } from './random.ts';
import { reconnectDelay } from './reconnect.ts';
import type { FleetScheduler, Schedulable } from './scheduler.ts';

type CameraState = 'waiting' | 'connecting' | 'live' | 'stopped';

/** An event sent but not yet acknowledged; kept small because its thumbnail is rebuilt from the id on resend. */
interface PendingEvent {
  kind: number;
  ts: number;
  sentAt: number;
}

/** One simulated camera. */
export interface CameraSim extends Schedulable {
  readonly camera: Camera;
  readonly driver: CameraDriver;
  state: CameraState;
  socket: WebSocket | undefined;
  /** Events this camera has created; the next id is `eventIdOf(cameraId, created + 1)`. */
  created: number;
  unacked: Map<string, PendingEvent>;
  /** Failed connects since the last welcome: drives the backoff. */
  attempts: number;
  /** When the next new event is due while live; kept across reconnects so a flapping camera keeps its pace. */
  nextEventAt: number;
  /** Only the first socket error of a streak is recorded, so an outage does not flood the history. */
  errorRecorded: boolean;
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
}

export class CameraDriver {
  readonly counters: CameraCounters = {
    created: 0, sent: 0, resent: 0, acked: 0, connects: 0, welcomes: 0, closes: 0, refused: 0, garbage: 0, live: 0,
  };
  /** Sockets not yet closed, so stop() knows when it is done. */
  readonly open = new Set<WebSocket>();
  stopping = false;
  private readonly random: Random;
  private readonly interval: number;
  /** No new events from this time on (the quiet stretch before the deadline). */
  private readonly quietFrom: number;

  constructor(
    private readonly config: CameraFleetConfig,
    private readonly deviceUrl: string,
    private readonly scheduler: FleetScheduler<CameraSim>,
    private readonly onClosed: () => void,
  ) {
    this.random = seededRandom(config.seed ^ 0x5eed_ca3e);
    this.interval = 1000 / config.rate;
    this.quietFrom = config.deadline - config.quietMs;
  }

  newSim(camera: Camera): CameraSim {
    return {
      camera, driver: this, state: 'waiting', socket: undefined, created: 0, unacked: new Map(), attempts: 0,
      nextEventAt: 0, errorRecorded: false, dueAt: 0, heapIndex: -1,
    };
  }

  /** The scheduler's callback: what a camera does when its time comes depends on its state. */
  readonly due = (sim: CameraSim, now: number): void => {
    if (this.stopping) return;
    if (sim.state === 'waiting') this.connect(sim, now);
    else if (sim.state === 'connecting') sim.socket?.terminate(); // not welcomed in time; close retries
    else if (sim.state === 'live') this.liveTick(sim, now);
  };

  private connect(sim: CameraSim, now: number): void {
    sim.state = 'connecting';
    this.counters.connects++;
    this.config.recorder.record({ type: 'camera', t: now, cameraId: sim.camera.cameraId, state: 'connecting' });
    const socket = new WebSocket(this.deviceUrl, {
      perMessageDeflate: false,
      handshakeTimeout: this.config.welcomeTimeoutMs,
      maxPayload: MAX_TARGET_FRAME_BYTES,
    });
    sim.socket = socket;
    simBySocket.set(socket, sim);
    this.open.add(socket);
    socket.on('open', onOpen);
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.on('error', onError);
    this.scheduler.schedule(sim, now + this.config.welcomeTimeoutMs);
  }

  private liveTick(sim: CameraSim, now: number): void {
    for (const pending of sim.unacked.values()) {
      // Map order is send order, so the first entry is the oldest.
      if (now - pending.sentAt > this.config.ackTimeoutMs) {
        sim.socket?.terminate();
        return;
      }
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
      sim.nextEventAt = now + jittered(this.random, this.interval);
    }
    // Out of budget or quiet, the camera only wakes to police its acks.
    const next = emitting ? sim.nextEventAt : now + this.config.ackTimeoutMs;
    this.scheduler.schedule(sim, Math.max(next, now + 1));
  }

  /** Sends one event; a resend rebuilds the very same bytes from the ids. */
  private send(sim: CameraSim, eventId: string, pending: PendingEvent, resend: boolean): void {
    const socket = sim.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const { cameraId } = sim.camera;
    const { runId } = this.config.world;
    const event = eventFrame({ runId, cameraId, eventId, kind: pending.kind, ts: pending.ts, sizes: this.config.thumbnailBytes, key: this.config.key });
    const t = Date.now();
    pending.sentAt = t;
    socket.send(event.frame);
    this.counters.sent++;
    if (resend) this.counters.resent++;
    const { kind, bytes, digest, check } = event;
    this.config.recorder.record({ type: 'sent', t, cameraId, eventId, kind, ts: pending.ts, bytes, digest, check });
  }

  handleOpen(sim: CameraSim): void {
    sim.socket?.send(JSON.stringify({ type: 'hello', cameraId: sim.camera.cameraId, secret: sim.camera.secret }));
  }

  handleMessage(sim: CameraSim, data: WebSocket.RawData, isBinary: boolean): void {
    const { cameraId } = sim.camera;
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    const type = (message as { type?: unknown } | undefined)?.type;
    const t = Date.now();
    if (type === 'ack') {
      const ack = Ack.safeParse(message);
      if (ack.success && ack.data.eventId.startsWith(`${cameraId}.e`)) {
        this.counters.acked++;
        this.config.recorder.record({ type: 'acked', t, cameraId, eventId: ack.data.eventId });
        if (sim.unacked.delete(ack.data.eventId)) this.config.recent?.add(cameraId, ack.data.eventId);
        return;
      }
    } else if (type === 'welcome' && sim.state === 'connecting' && Welcome.safeParse(message).success) {
      this.welcome(sim, t);
      return;
    }
    this.counters.garbage++;
    const sample = isBinary ? '<binary frame>' : data.toString().slice(0, 120);
    this.config.recorder.record({ type: 'error', t, source: 'camera', cameraId, message: `unexpected device message: ${sample}` });
  }

  private welcome(sim: CameraSim, t: number): void {
    sim.state = 'live';
    sim.attempts = 0;
    sim.errorRecorded = false;
    this.counters.welcomes++;
    this.counters.live++;
    this.config.recorder.record({ type: 'camera', t, cameraId: sim.camera.cameraId, state: 'welcome' });
    for (const [eventId, pending] of sim.unacked) this.send(sim, eventId, pending, true);
    if (sim.nextEventAt === 0) sim.nextEventAt = t + this.random() * this.interval;
    this.scheduler.schedule(sim, Math.max(sim.nextEventAt, t + 1));
  }

  handleClose(sim: CameraSim, socket: WebSocket, code: number): void {
    this.open.delete(socket);
    if (sim.socket === socket) this.closed(sim, code);
    if (this.stopping && this.open.size === 0) this.onClosed();
  }

  private closed(sim: CameraSim, code: number): void {
    sim.socket = undefined;
    if (sim.state === 'live') this.counters.live--;
    this.counters.closes++;
    const t = Date.now();
    const refused = code === CloseCode.unauthorized;
    if (refused) this.counters.refused++;
    this.config.recorder.record({ type: 'camera', t, cameraId: sim.camera.cameraId, state: refused ? 'refused' : 'closed', code });
    if (this.stopping) {
      sim.state = 'stopped';
      return;
    }
    // Any close, 4409 (replaced) included, is followed by a reconnect: this process is the camera's only live self.
    sim.state = 'waiting';
    this.scheduler.schedule(sim, t + reconnectDelay(this.config.policy, sim.attempts, this.random));
    sim.attempts++;
  }

  handleError(sim: CameraSim, error: Error): void {
    if (sim.errorRecorded || this.stopping) return;
    sim.errorRecorded = true;
    this.config.recorder.record({ type: 'error', t: Date.now(), source: 'camera', cameraId: sim.camera.cameraId, message: socketErrorText(error, '/v1/device') });
  }
}

// Shared socket handlers: `this` is the socket, so no closure is made per camera or per connection.
const simBySocket = new WeakMap<WebSocket, CameraSim>();

function onOpen(this: WebSocket): void {
  const sim = simBySocket.get(this);
  sim?.driver.handleOpen(sim);
}

function onMessage(this: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
  const sim = simBySocket.get(this);
  sim?.driver.handleMessage(sim, data, isBinary);
}

function onClose(this: WebSocket, code: number): void {
  const sim = simBySocket.get(this);
  sim?.driver.handleClose(sim, this, code);
}

function onError(this: WebSocket, error: Error): void {
  const sim = simBySocket.get(this);
  sim?.driver.handleError(sim, error);
}
