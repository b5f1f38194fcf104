/** Losses: acknowledged events that never reached anyone surely entitled to them. A count, not a failure. */
import type { EventBook } from './events.ts';

/**
 * Was acked event `event` lost: entitled users exist (entitled at acceptance and at `endTime`) and none of them
 * was shown it on the list or the stream? Only a handful of users ever concern one camera, so this is a short scan.
 */
export function isLost(events: EventBook, event: number, endTime: number): boolean {
  // Most cameras: one owner for good, entitled at every moment, so lost is simply "never reached them".
  const solo = events.soloOf(event);
  if (solo !== -1) return !events.reached(event, solo);
  const camera = events.camera(event);
  const users = camera.usersByNumber();
  let entitled = false;
  for (let i = 0; i < users.length; i++) {
    const user = users[i]!;
    const access = camera.userAt(user);
    if (access.access(events.sentAt(event), events.acceptedBy(event)) !== 'yes' || access.access(endTime, endTime) !== 'yes') continue;
    entitled = true;
    if (events.reached(event, user)) return false;
  }
  return entitled;
}

/**
 * Acked events still held that no surely entitled user ever saw on the list or the stream by `endTime`. Events
 * acked after `judgeableUntil` (the oracle passes the end minus the grace window) are too late to judge and are
 * not counted. Events the horizon already released had their loss decided then (horizon.ts).
 */
export function countLosses(events: EventBook, judgeableUntil: number, endTime: number): number {
  let lost = 0;
  for (let event = events.oldest; event < events.size; event++) {
    if (events.ackedAtOf(event) > judgeableUntil) continue;
    if (isLost(events, event, endTime)) lost++;
  }
  return lost;
}
