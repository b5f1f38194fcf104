/**
 * steam-2015: on December 25, 2015, under a DoS-driven traffic surge of about 2000%, Valve switched on a caching
 * configuration to keep the Steam Store up; it cached pages of signed-in users, and for about 90 minutes some
 * 34,000 users were shown other users' account pages, partial payment details included.
 *
 * The model is that emergency cache in front of the authenticated GETs. It watches the GET rate per second; when
 * the current second's rate passes SURGE_RATIO times the median of the trailing seconds (and an absolute floor),
 * it switches on for HOLD_MS and keys answers by URL alone (path and query), with a short TTL, so everyone asking
 * for /v1/cameras or /v1/events?limit=100 gets whoever asked first. At a steady rate it never switches on.
 */
import type { CloudBug, Reply, ResponseCache } from '../seams.ts';

/** The surge that switches the emergency cache on: this many times the trailing median... */
const SURGE_RATIO = 3;
/** ...and at least this many GETs in the second, so a quiet cloud's jitter is never a surge. */
const SURGE_FLOOR = 50;
/** Seconds of history the median is taken over, and the least needed before judging a surge at all. */
const TRAILING_SECONDS = 30;
const MIN_HISTORY_SECONDS = 3;
/** How long the emergency configuration stays on once switched on. */
const HOLD_MS = 10_000;
/** Cached answers live this long: short, as edge caches of dynamic pages are. */
const TTL_MS = 5_000;
/** Bounds the memory of a long surge over many distinct URLs (thumbnails). */
const MAX_ENTRIES = 10_000;

/** GETs per wall-clock second, and whether the current second is a surge over the trailing ones. */
export class SurgeDetector {
  private readonly counts: number[] = [];
  private currentSecond: number | undefined;
  private current = 0;

  /** Counts a GET at `now`; true when the second it falls in is a surge. */
  count(now: number): boolean {
    const second = Math.floor(now / 1_000);
    if (this.currentSecond === undefined) this.currentSecond = second;
    // Close the seconds that went by, quiet ones included: a quiet second is part of the normal rate.
    while (this.currentSecond < second) {
      this.counts.push(this.current);
      if (this.counts.length > TRAILING_SECONDS) this.counts.shift();
      this.current = 0;
      this.currentSecond++;
      if (second - this.currentSecond > TRAILING_SECONDS) this.currentSecond = second - TRAILING_SECONDS;
    }
    this.current++;
    if (this.counts.length < MIN_HISTORY_SECONDS) return false;
    return this.current > SURGE_FLOOR && this.current > SURGE_RATIO * median(this.counts);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function emergencyResponseCache(correct: ResponseCache, now: () => number = Date.now): ResponseCache {
  const surge = new SurgeDetector();
  const cached = new Map<string, { reply: Reply; expires: number }>();
  let onUntil = 0;

  return {
    async serve(request, produce) {
      const t = now();
      if (surge.count(t)) onUntil = t + HOLD_MS;
      if (t >= onUntil) {
        cached.clear();
        return correct.serve(request, produce);
      }
      // The flaw: the key leaves out who is asking (the Authorization header), as Valve's configuration did.
      const key = request.url;
      const hit = cached.get(key);
      if (hit && hit.expires > t) return hit.reply;
      const reply = await correct.serve(request, produce);
      if (cached.size >= MAX_ENTRIES) cached.clear();
      if (reply.status === 200) cached.set(key, { reply, expires: now() + TTL_MS });
      return reply;
    },
  };
}

export const steam2015: CloudBug = {
  name: 'steam-2015',
  summary: 'Dec 2015: a traffic surge switches on an emergency cache that keys signed-in pages by URL alone',
  responses: (_env, correct) => emergencyResponseCache(correct),
};
