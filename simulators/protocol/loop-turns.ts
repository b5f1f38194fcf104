/**
 * How early a message a callback is handling now may have reached this process. Node reads a socket only between
 * turns of its event loop, so bytes handled now can have arrived at any time since the loop last polled, and a
 * loop blocked for seconds (a worker saturated by a reconnect storm) hands them over that much later. A push
 * stamped with the time it was handled could then look shown after an access change it beat, and the oracle
 * would call it a leak; stamped with the interval it may have arrived in, it is judged over that interval.
 *
 * A heartbeat timer notes when the loop gets round to it. The one before the latest ran no later than the poll
 * that preceded the latest, and whatever is handled now arrived after that poll began: so that heartbeat is a
 * safe lower bound, about one tick behind on a healthy loop and as far back as the loop was blocked on a busy one.
 */
const TICK_MS = 50;

let latest = Date.now();
let previous = latest;
// Ticks from the first import on, so the bound holds from the first push; unref'd, so it keeps no process alive.
setInterval(() => {
  previous = latest;
  latest = Date.now();
}, TICK_MS).unref();

/** The earliest time a message handled now can have reached this process (at most now). */
export function arrivedNoEarlierThan(): number {
  return Math.min(previous, Date.now());
}
