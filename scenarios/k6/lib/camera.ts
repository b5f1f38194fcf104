/**
 * One simulated camera as a k6 VU: it holds its device socket (k6/websockets) for the whole run, reconnects by the
 * scenario's policy after every close, resends what was never acknowledged, and records the same history records
 * as the Node camera (simulators/protocol/camera.ts), so the oracle judges both engines alike.
 */
import encoding from 'k6/encoding';
import { clearTimeout, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';
import { CloseCode, EVENT_KINDS } from '../../../src/protocol/limits.ts';
import { eventIdOf } from '../../../src/world/event-id.ts';
import type { Recorder } from '../../../src/world/history.ts';
import { digest, makeThumbnail } from '../../../src/world/provenance-core.ts';
import type { Camera } from '../../../src/world/types.ts';
import { between, hashSeed, jittered, seededRandom } from '../../../simulators/protocol/random.ts';
import { reconnectDelay, type ReconnectPolicy } from '../../../simulators/protocol/reconnect.ts';
import { k6Hashes } from './hashes.ts';

export interface CameraRun {
  camera: Camera;
  runId: string;
  runKey: string;
  deviceUrl: string;
  recorder: Recorder;
  /** Events per second, on average. */
  rate: number;
  policy: ReconnectPolicy;
  thumbnailBytes: { min: number; max: number };
  /** First connect at this time (the ramp); no new events from `quietAt` (the drain), last close at `closeAt`. */
  connectAt: number;
  quietAt: number;
  closeAt: number;
  /** New events never exceed this (resends do not count). */
  maxEvents: number;
  seed: number;
  /** Called when the camera has closed for good, so the VU can flush its records. */
  onDone: () => void;
}

const WELCOME_TIMEOUT_MS = 10_000;
const ACK_TIMEOUT_MS = 15_000;

interface Pending {
  kind: number;
  ts: number;
  sentAt: number;
}

/** Runs one camera until `closeAt`; everything it does is driven by k6's event loop. */
export function runCamera(run: CameraRun): void {
  const { cameraId } = run.camera;
  const random = seededRandom(run.seed ^ hashSeed(cameraId));
  const interval = 1000 / run.rate;
  const unacked = new Map<string, Pending>();
  let socket: WebSocket | undefined;
  let live = false;
  let created = 0;
  let attempts = 0;
  /** When the next new event is due; kept across reconnects, so a camera back from an outage sends at once. */
  let nextEventAt = 0;
  let errorRecorded = false;
  let stopped = false;
  let timer: number | undefined;

  const later = (at: number, action: () => void): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      action();
    }, Math.max(1, at - Date.now()));
  };

  const send = (eventId: string, pending: Pending): void => {
    if (!socket || !live) return;
    const size = between(seededRandom(hashSeed(eventId)), run.thumbnailBytes.min, run.thumbnailBytes.max);
    const { bytes, check } = makeThumbnail({ runId: run.runId, cameraId, eventId, size, key: run.runKey }, k6Hashes);
    const kind = EVENT_KINDS[pending.kind]!;
    const thumbnail = encoding.b64encode(bytes.slice().buffer as ArrayBuffer, 'std');
    const t = Date.now();
    pending.sentAt = t;
    socket.send(JSON.stringify({ type: 'event', eventId, kind, ts: pending.ts, thumbnail }));
    run.recorder.record({ type: 'sent', t, cameraId, eventId, kind, ts: pending.ts, bytes: bytes.length, digest: digest(bytes, k6Hashes), check });
  };

  const tick = (): void => {
    if (stopped || !live) return;
    const now = Date.now();
    const oldest = unacked.values().next();
    if (!oldest.done && now - oldest.value.sentAt > ACK_TIMEOUT_MS) {
      socket?.close(); // the target sat on an event: drop the connection and resend after the reconnect
      return;
    }
    // Quiet from the drain on but still connected, so what was sent last is still acknowledged (and resent).
    const emitting = created < run.maxEvents && now < run.quietAt;
    if (emitting && now >= nextEventAt) {
      created++;
      const eventId = eventIdOf(cameraId, created);
      const pending: Pending = { kind: Math.floor(random() * EVENT_KINDS.length), ts: now, sentAt: now };
      unacked.set(eventId, pending);
      send(eventId, pending);
      nextEventAt = now + jittered(random, interval);
    }
    later(emitting ? Math.max(nextEventAt, now + 1) : now + ACK_TIMEOUT_MS / 3, tick);
  };

  const onMessage = (data: unknown): void => {
    const t = Date.now();
    let message: { type?: unknown; eventId?: unknown } | undefined;
    try {
      message = typeof data === 'string' ? (JSON.parse(data) as typeof message) : undefined;
    } catch {
      message = undefined;
    }
    if (message?.type === 'ack' && typeof message.eventId === 'string' && message.eventId.startsWith(`${cameraId}.e`)) {
      run.recorder.record({ type: 'acked', t, cameraId, eventId: message.eventId });
      unacked.delete(message.eventId);
      return;
    }
    if (message?.type === 'welcome' && !live) {
      live = true;
      attempts = 0;
      errorRecorded = false;
      run.recorder.record({ type: 'camera', t, cameraId, state: 'welcome' });
      for (const [eventId, pending] of unacked) send(eventId, pending);
      if (nextEventAt === 0) nextEventAt = t + random() * interval;
      later(Math.max(nextEventAt, t + 1), tick);
      return;
    }
    const sample = typeof data === 'string' ? data.slice(0, 120) : '<binary frame>';
    run.recorder.record({ type: 'error', t, source: 'camera', cameraId, message: `unexpected device message: ${sample}` });
  };

  const connect = (): void => {
    if (stopped) return;
    const t = Date.now();
    run.recorder.record({ type: 'camera', t, cameraId, state: 'connecting' });
    const ws = new WebSocket(run.deviceUrl);
    socket = ws;
    live = false;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', cameraId, secret: run.camera.secret }));
    ws.onmessage = (event) => onMessage(event?.data);
    ws.onerror = ((event: { error?: string }) => {
      if (errorRecorded || stopped) return;
      errorRecorded = true;
      run.recorder.record({ type: 'error', t: Date.now(), source: 'camera', cameraId, message: event.error ?? 'socket error' });
    }) as () => void;
    ws.onclose = ((event: { code?: number }) => {
      if (socket !== ws) return;
      socket = undefined;
      live = false;
      const code = event.code ?? 1006;
      const closedAt = Date.now();
      run.recorder.record({ type: 'camera', t: closedAt, cameraId, state: code === CloseCode.unauthorized ? 'refused' : 'closed', code });
      if (stopped) return finish();
      later(closedAt + reconnectDelay(run.policy, attempts++, random), connect);
    }) as () => void;
    // Not welcomed in time: give up on this connection; its close schedules the retry.
    later(t + WELCOME_TIMEOUT_MS, () => {
      if (!live) ws.close();
    });
  };

  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    run.onDone();
  };

  const stop = (): void => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (socket) socket.close(1000, 'fleet stopping'); // k6 allows only 1000 or 3000-4999 here
    else finish();
  };

  if (run.connectAt >= run.closeAt) return run.onDone();
  setTimeout(stop, Math.max(1, run.closeAt - Date.now()));
  later(run.connectAt, connect);
}
