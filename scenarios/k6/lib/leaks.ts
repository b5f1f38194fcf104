/**
 * The in-VU leak counter: what a user was shown from a camera it is never involved with (see involvement.ts), by
 * the camera the target labels it with or by the camera that made it (its event id names it, see event-id.ts, and
 * its thumbnail's provenance does), and any probe a target answered with someone else's thumbnail. The script's
 * threshold on `stampede_plain_leaks` makes k6 itself exit non-zero, so the gate holds where no orchestrator is
 * watching. It never replaces the oracle: under the orchestrator every record still goes to the one oracle, which
 * also judges the subtle leaks.
 */
import { Counter } from 'k6/metrics';
import { makerOf } from '../../../src/world/event-id.ts';
import type { ShownEvent, ThumbnailProvenance } from '../../../src/world/history.ts';

export const plainLeaks = new Counter('stampede_plain_leaks');

export class LeakCounter {
  constructor(private readonly involved: ReadonlySet<string>) {}

  /**
   * Events shown on a list or the stream; each counts once if a stranger's camera made it or it is labelled with
   * one. A target that mixes up owners (wyze-2024) shows a stranger's event under the user's own camera's label.
   */
  events(surface: 'list' | 'stream', events: readonly Pick<ShownEvent, 'eventId' | 'cameraId'>[]): void {
    for (const { eventId, cameraId } of events) {
      const maker = makerOf(eventId);
      if (!this.involved.has(cameraId) || (maker !== undefined && !this.involved.has(maker))) this.count(surface);
    }
  }

  /** A camera list; each stranger camera in it counts once. */
  cameras(cameraIds: readonly string[]): void {
    for (const cameraId of cameraIds) if (!this.involved.has(cameraId)) this.count('cameras');
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
