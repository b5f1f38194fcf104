/**
 * One simulated app user as a k6 VU: logs in, holds the push stream (k6/websockets, reopened with backoff and
 * followed by a catch-up through the list), polls the event list, refreshes the camera list and opens thumbnails
 * of events it was shown. It records the same history records as the Node user (simulators/protocol/user.ts) and
 * feeds the in-VU leak counter.
 */
import { clearTimeout, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';
import { CloseCode, MAX_EVENTS_LIMIT, thumbnailPath } from '../../../src/protocol/limits.ts';
import type { Recorder, ShownEvent } from '../../../src/world/history.ts';
import { digest, readProvenance } from '../../../src/world/provenance-core.ts';
import type { User } from '../../../src/world/types.ts';
import { hashSeed, jittered, seededRandom } from '../../../simulators/protocol/random.ts';
import { k6Hashes } from './hashes.ts';
import type { LeakCounter } from './leaks.ts';
import { shapes, TargetCalls } from './user-http.ts';

export interface UserRun {
  user: User;
  httpBase: string;
  wsBase: string;
  recorder: Recorder;
  leaks: LeakCounter;
  pollMs: number;
  camerasMs: number;
  tapMs: number;
  startAt: number;
  endsAt: number;
  /** Backoff (full jitter) for stream reopens and failed logins. */
  backoff: { baseMs: number; capMs: number };
  /** HTTP requests of this user never exceed this. */
  maxRequests: number;
  seed: number;
  onDone: () => void;
}

const PAGE_LIMIT = Math.min(100, MAX_EVENTS_LIMIT);
/** Events remembered for taps later. */
const REMEMBERED = 32;

export function runUser(run: UserRun): void {
  const { userId, email, password } = run.user;
  const random = seededRandom(run.seed ^ hashSeed(userId) ^ 0x05e2);
  const calls = new TargetCalls(run.httpBase);
  const { baseMs, capMs } = run.backoff;
  const backoff = (attempt: number): number => Math.max(1, random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30)));
  let token: string | undefined;
  let cursor: string | undefined;
  let requests = 0;
  let loginAttempts = 0;
  let streamAttempts = 0;
  let stopped = false;
  let stream: WebSocket | undefined;
  let streamTimer: number | undefined;
  let actionTimer: number | undefined;
  const remembered: { cameraId: string; eventId: string }[] = [];
  let nextPoll = run.startAt;
  let nextCameras = run.startAt;
  let nextTap = run.startAt + jittered(random, run.tapMs);

  const remember = (events: ShownEvent[]): void => {
    for (const { cameraId, eventId } of events) {
      remembered.push({ cameraId, eventId });
      if (remembered.length > REMEMBERED) remembered.shift();
    }
  };

  const error = (source: string, message: string): void => {
    run.recorder.record({ type: 'error', t: Date.now(), source, message, userId });
  };

  const loggedOut = (): void => {
    token = undefined;
    closeStream();
  };

  const login = (): void => {
    const answer = calls.json('POST', '/v1/login', '/v1/login', undefined, shapes.login, { email, password });
    const t = Date.now();
    if (answer.ok) {
      token = answer.value.token;
      loginAttempts = 0;
      run.recorder.record({ type: 'user', t, userId, state: 'login' });
      openStream();
      return;
    }
    run.recorder.record({ type: 'user', t, userId, state: 'login-failed', code: answer.status });
    if (answer.status !== 401) error('user.login', answer.problem);
    nextPoll = t + backoff(loginAttempts++);
  };

  const poll = (): void => {
    const since = cursor === undefined ? '' : `&since=${encodeURIComponent(cursor)}`;
    const start = Date.now();
    const answer = calls.json('GET', `/v1/events?limit=${PAGE_LIMIT}${since}`, '/v1/events', token, shapes.page);
    const t = Date.now();
    nextPoll = t + jittered(random, run.pollMs);
    if (!answer.ok) return answer.status === 401 ? loggedOut() : error('user.events', answer.problem);
    const { events, next } = answer.value;
    run.recorder.record({ type: 'shown', surface: 'list', start, t, userId, events });
    run.leaks.events('list', events);
    remember(events);
    cursor = next;
    // A full page means more is waiting: catch up at once rather than a poll interval later.
    if (events.length >= PAGE_LIMIT) nextPoll = t;
  };

  const cameras = (): void => {
    const start = Date.now();
    const answer = calls.json('GET', '/v1/cameras', '/v1/cameras', token, shapes.cameras);
    const t = Date.now();
    nextCameras = t + jittered(random, run.camerasMs);
    if (!answer.ok) return answer.status === 401 ? loggedOut() : error('user.cameras', answer.problem);
    run.recorder.record({ type: 'cameras', start, t, userId, cameras: answer.value });
    run.leaks.cameras(answer.value.map((camera) => camera.cameraId));
  };

  const tap = (): void => {
    nextTap = Date.now() + jittered(random, run.tapMs);
    const event = remembered[Math.floor(random() * remembered.length)];
    if (!event) return;
    const start = Date.now();
    const answer = calls.bytes(thumbnailPath(encodeURIComponent(event.eventId)), '/v1/events/{id}/thumbnail', token!);
    const t = Date.now();
    if (!answer.ok) return error('user.thumbnail', answer.problem);
    if (answer.status === 401) loggedOut();
    const bytes = answer.value;
    const provenance = bytes ? readProvenance(bytes) : undefined;
    run.recorder.record({
      type: 'thumbnail', start, t, userId, eventId: event.eventId, cameraId: event.cameraId, probe: false, status: answer.status,
      ...(bytes ? { bytes: bytes.length, digest: digest(bytes, k6Hashes), provenance: provenance ?? null } : {}),
    });
    if (bytes) run.leaks.thumbnail(false, event.cameraId, provenance ?? null);
  };

  /** One thing at a time, as a person would: whichever is due first. */
  const act = (): void => {
    actionTimer = undefined;
    if (stopped) return;
    const now = Date.now();
    if (requests >= run.maxRequests) return;
    const soonest = token ? Math.min(nextPoll, nextCameras, nextTap) : nextPoll;
    if (soonest <= now) {
      requests++;
      if (!token) login();
      else if (soonest === nextPoll) poll();
      else if (soonest === nextCameras) cameras();
      else tap();
    }
    if (stopped) return;
    const next = token ? Math.min(nextPoll, nextCameras, nextTap) : nextPoll;
    actionTimer = setTimeout(act, Math.max(1, next - Date.now()));
  };

  /** The stream: opened after login, reopened with backoff after any close, caught up through the list. */
  const openStream = (): void => {
    streamTimer = undefined;
    if (stopped || !token || stream) return;
    const ws = new WebSocket(`${run.wsBase}/v1/stream?token=${encodeURIComponent(token)}`);
    stream = ws;
    ws.onopen = () => {
      streamAttempts = 0;
      run.recorder.record({ type: 'user', t: Date.now(), userId, state: 'stream-open' });
      nextPoll = Date.now(); // whatever was accepted while the stream was down only shows up through the list
    };
    ws.onmessage = (event) => {
      const t = Date.now();
      const data = event?.data;
      let pushed: { eventId?: unknown; cameraId?: unknown; kind?: unknown; ts?: unknown } | undefined;
      try {
        const message = typeof data === 'string' ? (JSON.parse(data) as { type?: unknown; event?: typeof pushed }) : undefined;
        pushed = message?.type === 'event' ? message.event : undefined;
      } catch {
        pushed = undefined;
      }
      if (!pushed || typeof pushed.eventId !== 'string' || typeof pushed.cameraId !== 'string') {
        return error('user.stream', `unexpected stream message: ${typeof data === 'string' ? data.slice(0, 80) : '<binary frame>'}`);
      }
      const events = [{ eventId: pushed.eventId, cameraId: pushed.cameraId, kind: String(pushed.kind), ts: Number(pushed.ts) }];
      run.recorder.record({ type: 'shown', surface: 'stream', start: t, t, userId, events });
      run.leaks.events('stream', events);
      remember(events);
    };
    ws.onerror = () => undefined; // a close always follows, and the close is what gets recorded
    ws.onclose = ((event: { code?: number }) => {
      if (stream === ws) stream = undefined;
      const code = event.code ?? 1006;
      const t = Date.now();
      run.recorder.record({ type: 'user', t, userId, state: 'stream-closed', code });
      if (stopped) return maybeDone();
      if (code === CloseCode.unauthorized) loggedOut();
      streamTimer = setTimeout(openStream, backoff(streamAttempts++));
    }) as () => void;
  };

  const closeStream = (): void => {
    if (streamTimer !== undefined) clearTimeout(streamTimer);
    streamTimer = undefined;
    stream?.close(1000, 'user leaving'); // k6 allows only 1000 or 3000-4999 here
  };

  let done = false;
  const maybeDone = (): void => {
    if (done || !stopped || stream) return;
    done = true;
    run.onDone();
  };

  const stop = (): void => {
    stopped = true;
    if (actionTimer !== undefined) clearTimeout(actionTimer);
    actionTimer = undefined;
    closeStream();
    maybeDone();
  };

  if (run.startAt >= run.endsAt) return run.onDone();
  setTimeout(stop, Math.max(1, run.endsAt - Date.now()));
  actionTimer = setTimeout(act, Math.max(1, run.startAt - Date.now()));
}
