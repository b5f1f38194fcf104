/** Losses: acknowledged events that never reached anyone surely entitled to them. A count, not a failure. */
import type { EventBook } from './events.ts';

/**
 * Acked events no surely entitled user (entitled at acceptance and at the end) ever saw on the list or the
 * stream by `endTime`. Events acked after `judgeableUntil` (the oracle passes the end minus the grace window) are
 * too late to judge and are not counted.
 */
export function countLosses(events: EventBook, judgeableUntil: number, endTime: number): number {
  let lost = 0;
  for (let event = 0; event < events.size; event++) {
    if (events.ackedAtOf(event) > judgeableUntil) continue;
    const camera = events.camera(event);
    let entitled = false;
    let reached = false;
    for (const user of camera.usersByNumber()) {
      const access = camera.userAt(user);
      if (access.access(events.sentAt(event), events.acceptedBy(event)) !== 'yes' || access.access(endTime, endTime) !== 'yes') continue;
      entitled = true;
      if (events.reached(event, user)) {
        reached = true;
        break;
      }
    }
    if (entitled && !reached) lost++;
  }
  return lost;
}
