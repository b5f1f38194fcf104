/**
 * Leaks and surfaces in plain words, shared by the text reporters (JUnit, Markdown): whoever reads a CI failure
 * should see who was shown what, whose it was, how and when, without opening the journal.
 */
import type { LeakEvidence } from '../oracle/verdict.ts';
import type { Surface } from '../world/history.ts';

/** Each surface as the app shows it, with the call behind it. */
export const SURFACES: readonly { surface: Surface; title: string; call: string }[] = [
  { surface: 'list', title: 'event lists', call: 'GET /v1/events' },
  { surface: 'stream', title: 'the live stream', call: 'WebSocket /v1/stream' },
  { surface: 'thumbnail', title: 'thumbnails', call: 'GET /v1/events/{id}/thumbnail' },
  { surface: 'cameras', title: 'camera lists', call: 'GET /v1/cameras' },
];

/** One leak in one line; times as seconds since the run started, so they line up with phases. */
export function describeLeak(leak: LeakEvidence, startedAt: number): string {
  const what = leak.eventId !== undefined ? `event ${leak.eventId} of camera ${leak.cameraId}` : `camera ${leak.cameraId}`;
  const owner = leak.owners.length > 0 ? `owner ${leak.owners.join(' or ')}` : 'owner unknown';
  const call = SURFACES.find((s) => s.surface === leak.surface)?.call ?? leak.surface;
  const asked = [
    leak.call.probe ? 'a probe' : '',
    leak.call.requestedEventId !== undefined && leak.call.requestedEventId !== leak.eventId ? `asked for ${leak.call.requestedEventId}` : '',
    leak.call.labelledCameraId !== undefined && leak.call.labelledCameraId !== leak.cameraId ? `labelled ${leak.call.labelledCameraId}` : '',
  ].filter(Boolean);
  const faults = leak.faults.length > 0 ? leak.faults.map((f) => `${f.fault} on ${f.path}`).join(', ') : 'no fault active';
  return (
    `${leak.recipient} was shown ${what} (${owner}) via ${call}${asked.length ? ` (${asked.join(', ')})` : ''}, ` +
    `call ${seconds(leak.call.start, startedAt)}-${seconds(leak.call.t, startedAt)} s, at ${new Date(leak.at).toISOString()}, ` +
    `phase ${leak.phase ?? '-'}, ${faults}; access broken at ${leak.broken}`
  );
}

function seconds(t: number, startedAt: number): string {
  return ((t - startedAt) / 1000).toFixed(1);
}

export function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
