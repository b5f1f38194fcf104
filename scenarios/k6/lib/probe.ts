/**
 * A curious user's visit, one k6 iteration of an arrival-rate scenario: log in, ask for the thumbnail of an event
 * of a camera the user never has anything to do with, record the answer. The Node users learn such ids from the
 * cameras in-process; VUs share no memory, so a visitor guesses them as an attacker would: event ids are the
 * camera's id and a counter (event-id.ts), and a camera emitting at the planned rate has made about `rate x elapsed`
 * by now.
 */
import { thumbnailPath } from '../../../src/protocol/limits.ts';
import { eventIdOf } from '../../../src/world/event-id.ts';
import type { Recorder } from '../../../src/world/history.ts';
import { digest, readProvenance } from '../../../src/world/provenance-core.ts';
import type { User } from '../../../src/world/types.ts';
import type { Random } from '../../../simulators/protocol/random.ts';
import { k6Hashes } from './hashes.ts';
import type { LeakCounter } from './leaks.ts';
import { shapes, TargetCalls } from './user-http.ts';

export interface ProbeVisit {
  user: User;
  /** A camera the user is never involved with. */
  strangerCameraId: string;
  httpBase: string;
  recorder: Recorder;
  leaks: LeakCounter;
  /** Events the stranger camera has probably made by now (at least 1). */
  madeSoFar: number;
  random: Random;
}

export function visit(probe: ProbeVisit): void {
  const { userId, email, password } = probe.user;
  const calls = new TargetCalls(probe.httpBase);
  const login = calls.json('POST', '/v1/login', '/v1/login', undefined, shapes.login, { email, password });
  // A visit's login is not the user's session (its own VU holds that), so only a failure is worth a record.
  if (!login.ok) {
    probe.recorder.record({ type: 'error', t: Date.now(), source: 'user.probe', message: login.problem, userId });
    return;
  }
  const cameraId = probe.strangerCameraId;
  const eventId = eventIdOf(cameraId, 1 + Math.floor(probe.random() * Math.max(1, probe.madeSoFar)));
  const start = Date.now();
  const answer = calls.bytes(thumbnailPath(encodeURIComponent(eventId)), '/v1/events/{id}/thumbnail', login.value.token);
  const t = Date.now();
  if (!answer.ok) {
    probe.recorder.record({ type: 'error', t, source: 'user.probe', message: answer.problem, userId });
    return;
  }
  const bytes = answer.value;
  const provenance = bytes ? readProvenance(bytes) : undefined;
  probe.recorder.record({
    type: 'thumbnail', start, t, userId, eventId, cameraId, probe: true, status: answer.status,
    ...(bytes ? { bytes: bytes.length, digest: digest(bytes, k6Hashes), provenance: provenance ?? null } : {}),
  });
  if (bytes) probe.leaks.thumbnail(true, cameraId, provenance ?? null);
}
