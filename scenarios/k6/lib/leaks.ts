/**
 * The in-VU leak counter: what a user was shown from a camera it is never involved with (see involvement.ts), and
 * any probe a target answered with someone else's thumbnail. The script's threshold on `stampede_plain_leaks`
 * makes k6 itself exit non-zero, so the gate holds where no orchestrator is watching. It never replaces the oracle:
 * under the orchestrator every record still goes to the one oracle, which also judges the subtle leaks.
 */
import { Counter } from 'k6/metrics';
import type { ThumbnailProvenance } from '../../../src/world/history.ts';

export const plainLeaks = new Counter('stampede_plain_leaks');

export class LeakCounter {
  constructor(private readonly involved: ReadonlySet<string>) {}

  /** Events or cameras shown on `surface`; each from a stranger camera counts once. */
  shown(surface: string, cameraIds: readonly string[]): void {
    for (const cameraId of cameraIds) if (!this.involved.has(cameraId)) this.count(surface);
  }

  /** A thumbnail answered 200: whose bytes they are, by provenance, and what the user asked for. */
  thumbnail(probe: boolean, askedCameraId: string, provenance: ThumbnailProvenance | null): void {
    const owner = provenance?.cameraId ?? askedCameraId;
    if (probe || !this.involved.has(owner)) this.count('thumbnail');
  }

  private count(surface: string): void {
    plainLeaks.add(1, { surface });
  }
}
