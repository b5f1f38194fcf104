/**
 * A reference judge written for clarity, not speed: the access rule of docs/protocol.md applied item by item with plain
 * maps and strings, to check the optimised oracle (packed rows, hand-made index, solo shortcut, held queue) against.
 * Who had access when, with grace windows, failed and overlapping admin calls, comes from the access timeline's
 * string-keyed questions, which the world's own tests cover; everything the oracle adds on top is redone here.
 *
 * It answers only for histories shorter than the oracle's settle delay and horizon: then every would-be leak is
 * judged again at the end with the whole history known, and no event is ever released.
 */
import { AccessTimeline } from '../../src/world/timeline.ts';
import type { HistoryRecord, Surface } from '../../src/world/history.ts';
import type { World } from '../../src/world/types.ts';

export interface Counts {
  leaks: Record<Surface, number>;
  unknown: number;
  lost: number;
  duplicates: number;
  delivered: number;
}

interface Event {
  cameraId: string;
  sentAt: number;
  ackedAt: number;
  /** The earliest end of a call that showed it: the target had accepted it by then. */
  shownBy: number;
  versions: { digest: string; check: string }[];
  /** `${userId} ${surface}` for every sight on the list or the stream, leak or not. */
  sights: Set<string>;
  delivered: boolean;
}

export function naiveJudge(world: World, history: readonly HistoryRecord[]): Counts {
  const timeline = new AccessTimeline(world, history);
  const inWorld = new Set(world.users.map((u) => u.userId));
  const counts: Counts = { leaks: { list: 0, stream: 0, thumbnail: 0, cameras: 0 }, unknown: 0, lost: 0, duplicates: 0, delivered: 0 };
  const events = new Map<string, Event>();
  const accepted = (e: Event) => [e.sentAt, Math.min(e.ackedAt, e.shownBy)] as const;
  const access = (userId: string, cameraId: string, [from, to]: readonly [number, number]) => timeline.access(userId, cameraId, from, to);
  const deliver = (e: Event) => {
    if (!e.delivered) counts.delivered++;
    e.delivered = true;
  };
  /** Would-be leaks, judged again at the end: a sure 'no' at either moment is a leak, anything else is excused. */
  const held: { userId: string; cameraId: string; event?: Event; call: [number, number]; surface: Surface; first: boolean }[] = [];
  let end = -Infinity;

  for (const r of history) end = Math.max(end, r.type === 'access' ? r.end : r.t);
  for (const r of history) {
    if (r.type === 'sent') {
      const e = events.get(r.eventId);
      if (e) e.versions.push({ digest: r.digest, check: r.check });
      else if (!world.cameras.some((c) => c.cameraId === r.cameraId)) counts.unknown++;
      else events.set(r.eventId, { cameraId: r.cameraId, sentAt: r.t, ackedAt: Infinity, shownBy: Infinity, versions: [r], sights: new Set(), delivered: false });
    } else if (r.type === 'acked') {
      const e = events.get(r.eventId);
      if (e) e.ackedAt = Math.min(e.ackedAt, r.t);
      else counts.unknown++;
    } else if (r.type === 'shown') {
      for (const item of r.events) {
        const e = events.get(item.eventId);
        if (!e || !inWorld.has(r.userId)) {
          counts.unknown++;
          continue;
        }
        e.shownBy = Math.min(e.shownBy, r.t);
        if (e.sights.has(`${r.userId} ${r.surface}`)) counts.duplicates++;
        const first = ![...e.sights].some((s) => s.startsWith(`${r.userId} `));
        e.sights.add(`${r.userId} ${r.surface}`);
        judgeNow(r.userId, e, [r.start, r.t], r.surface, first);
      }
    } else if (r.type === 'thumbnail' && r.status === 200) {
      const p = r.provenance;
      const e = p ? events.get(p.eventId) : events.get(r.eventId);
      const genuine = p
        ? p.runId === world.runId && e?.cameraId === p.cameraId && e.versions.some((v) => v.digest === r.digest && v.check === p.check)
        : e?.versions.some((v) => v.digest === r.digest);
      if (!e || !genuine || !inWorld.has(r.userId)) counts.unknown++;
      else {
        e.shownBy = Math.min(e.shownBy, r.t);
        judgeNow(r.userId, e, [r.start, r.t], 'thumbnail', false);
      }
    } else if (r.type === 'cameras') {
      for (const listed of r.cameras) {
        if (!inWorld.has(r.userId) || !world.cameras.some((c) => c.cameraId === listed.cameraId)) counts.unknown++;
        else if (access(r.userId, listed.cameraId, [r.start, r.t]) === 'no') counts.leaks.cameras++;
      }
    }
  }

  /** Judged with what is known when the item is shown: a doubt an ack could still settle waits for the end. */
  function judgeNow(userId: string, e: Event, call: [number, number], surface: Surface, first: boolean): void {
    const atAcceptance = access(userId, e.cameraId, accepted(e));
    if (atAcceptance === 'no' || access(userId, e.cameraId, call) === 'no' || (atAcceptance === 'either' && e.ackedAt === Infinity)) {
      held.push({ userId, cameraId: e.cameraId, event: e, call, surface, first });
    } else if (first) deliver(e);
  }

  for (const h of held) {
    if (access(h.userId, h.cameraId, accepted(h.event!)) === 'no' || access(h.userId, h.cameraId, h.call) === 'no') counts.leaks[h.surface]++;
    else if (h.first) deliver(h.event!);
  }

  // Lost: acked in time to judge, some user surely entitled at acceptance and at the end, and none of them shown it.
  for (const e of events.values()) {
    if (e.ackedAt > end - world.graceMs) continue;
    const entitled = world.users.filter((u) => access(u.userId, e.cameraId, accepted(e)) === 'yes' && access(u.userId, e.cameraId, [end, end]) === 'yes');
    if (entitled.length > 0 && !entitled.some((u) => [...e.sights].some((s) => s.startsWith(`${u.userId} `)))) counts.lost++;
  }
  return counts;
}
