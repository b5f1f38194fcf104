/**
 * Delivery latency, counted per whole millisecond. Almost every delivery takes well under a few seconds, so those
 * are tallied in a plain array and handed to the HDR histogram in one pass at the end: recording each value
 * straight into the histogram costs more than the rest of judging an item. Rarer, longer values go in directly.
 */
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** Values below this many ms are tallied exactly in the array; the histogram keeps 3 significant digits anyway. */
const TALLIED = 8192;

export class LatencyRecorder {
  private readonly tallies = new Float64Array(TALLIED);
  private readonly histogram = hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });

  /** Records one delivery; a push can reach the user before the ack reaches the camera: that is zero, not negative. */
  record(ms: number): void {
    const value = Math.max(0, Math.round(ms));
    if (value < TALLIED) this.tallies[value]!++;
    else this.histogram.recordValue(value);
  }

  /** The histogram with every value recorded so far (the tallies move into it, so this may be called again). */
  histogramNow(): Histogram {
    const tallies = this.tallies;
    for (let value = 0; value < TALLIED; value++) {
      const count = tallies[value]!;
      if (count === 0) continue;
      this.histogram.recordValueWithCount(value, count);
      tallies[value] = 0;
    }
    return this.histogram;
  }
}
