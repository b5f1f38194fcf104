/**
 * A circuit breaker for the cache: after a few failures in a row the cloud stops asking the cache for a short
 * while and serves from the system of record straight away, instead of paying a timeout on every request.
 */

/** Failures in a row that open the breaker. */
const TRIP_AFTER = 3;
/** How long an open breaker skips the cache before letting requests try it again. */
const OPEN_MS = 1_000;

export class Breaker {
  private failures = 0;
  private openUntil = 0;

  /** False while open: skip the cache. */
  allows(): boolean {
    return Date.now() >= this.openUntil;
  }

  succeeded(): void {
    this.failures = 0;
  }

  failed(): void {
    this.failures++;
    if (this.failures >= TRIP_AFTER) {
      this.openUntil = Date.now() + OPEN_MS;
      this.failures = 0;
    }
  }
}
