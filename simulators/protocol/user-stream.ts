/**
 * The users' push streams (`/v1/stream`). Each user holds at most one; on any close it waits a jittered backoff,
 * reopens, and then catches up through `/v1/events` from its last cursor. Handlers are shared functions (`this`
 * is the socket), so there is no closure per user.
 */
import WebSocket from 'ws';
import { socketErrorText } from '../../src/protocol/answer-body.ts';
import { MAX_TARGET_FRAME_BYTES } from '../../src/protocol/limits.ts';
import { CloseCode, StreamMessage } from '../../src/protocol/schema.ts';
import type { Random } from './random.ts';
import type { UserDriver, UserSim } from './user.ts';
import type { UserFleetConfig } from './user-options.ts';

export class UserStreams {
  /** Stream sockets not yet closed, so stop() knows when it is done. */
  readonly open = new Set<WebSocket>();
  private readonly simBySocket = new WeakMap<WebSocket, UserSim>();

  constructor(
    readonly driver: UserDriver,
    private readonly config: UserFleetConfig,
    private readonly streamUrl: string,
    private readonly random: Random,
  ) {}

  openFor(sim: UserSim): void {
    sim.nextStream = Infinity;
    const socket = new WebSocket(`${this.streamUrl}?token=${encodeURIComponent(sim.token!)}`, {
      perMessageDeflate: false,
      handshakeTimeout: this.config.requestTimeoutMs,
      maxPayload: MAX_TARGET_FRAME_BYTES,
    });
    this.simBySocket.set(socket, sim);
    streamsBySocket.set(socket, this);
    this.open.add(socket);
    socket.on('open', onOpen);
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.on('error', onError); // a close always follows, and the close is what gets recorded
  }

  /** Asks every stream to close; cuts those still open after `graceMs`. Resolves when none is left. */
  async closeAll(graceMs: number): Promise<void> {
    for (const socket of this.open) socket.close(1001, 'user leaving');
    const cut = setTimeout(() => {
      for (const socket of this.open) socket.terminate();
    }, graceMs);
    const end = Date.now() + graceMs * 4;
    while (this.open.size > 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
    clearTimeout(cut);
  }

  simOf(socket: WebSocket): UserSim | undefined {
    return this.simBySocket.get(socket);
  }

  handleOpen(socket: WebSocket): void {
    const sim = this.simBySocket.get(socket)!;
    sim.streamAttempts = 0;
    this.driver.counters.streamsOpen++;
    this.config.recorder.record({ type: 'user', t: Date.now(), userId: sim.user.userId, state: 'stream-open' });
    // Whatever was accepted while the stream was down only shows up through the list.
    this.driver.resume(sim);
  }

  handleMessage(socket: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    const sim = this.simBySocket.get(socket)!;
    const t = Date.now();
    let parsed: unknown;
    try {
      parsed = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      parsed = undefined;
    }
    const message = StreamMessage.safeParse(parsed);
    if (!message.success) {
      const sample = isBinary ? '<binary frame>' : data.toString().slice(0, 80);
      return this.driver.error(sim, 'user.stream', `unexpected stream message: ${sample}`);
    }
    const { eventId, cameraId, kind, ts } = message.data.event;
    const events = [{ eventId, cameraId, kind, ts }];
    this.driver.counters.streamMessages++;
    this.config.recorder.record({ type: 'shown', surface: 'stream', start: t, t, userId: sim.user.userId, events });
    this.driver.remember(sim, events);
  }

  handleClose(socket: WebSocket, code: number): void {
    const sim = this.simBySocket.get(socket)!;
    this.open.delete(socket);
    if (openedSockets.delete(socket)) this.driver.counters.streamsOpen--;
    const t = Date.now();
    this.config.recorder.record({ type: 'user', t, userId: sim.user.userId, state: 'stream-closed', code });
    if (this.driver.stopping) return;
    if (code === CloseCode.unauthorized) this.driver.loggedOut(sim);
    const { baseMs, capMs } = this.config.streamBackoff;
    sim.nextStream = t + Math.max(1, this.random() * Math.min(capMs, baseMs * 2 ** Math.min(sim.streamAttempts++, 30)));
    this.driver.reschedule(sim);
  }
}

const streamsBySocket = new WeakMap<WebSocket, UserStreams>();
/** Sockets that reached open, so the open-stream count only drops for streams that were counted. */
const openedSockets = new WeakSet<WebSocket>();

function onOpen(this: WebSocket): void {
  openedSockets.add(this);
  streamsBySocket.get(this)?.handleOpen(this);
}

function onMessage(this: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
  streamsBySocket.get(this)?.handleMessage(this, data, isBinary);
}

function onClose(this: WebSocket, code: number): void {
  streamsBySocket.get(this)?.handleClose(this, code);
}

/** Socket errors are not recorded (the close that follows is), except a frame over the bound, which says why. */
function onError(this: WebSocket, error: Error & { code?: string }): void {
  const streams = streamsBySocket.get(this);
  const sim = streams?.simOf(this);
  if (streams && sim && error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') streams.driver.error(sim, 'user.stream', socketErrorText(error, '/v1/stream'));
}
