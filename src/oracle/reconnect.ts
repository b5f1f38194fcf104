/**
 * How long the fleet took to come back after each outage: for every camera that was connected when a client
 * outage began, the time from the outage's heal to its next welcome. The heal is counted from when it was first
 * called: Toxiproxy may confirm it seconds later (a call that timed out, then asked again), and cameras already
 * back by then came back after the heal, not never. A measurement, not a judgement: gates may turn it into one.
 * Pure and incremental, like the oracle.
 */
import hdr from 'hdr-histogram-js';
import type { HistoryRecord } from '../world/history.ts';

export interface ReconnectStats {
  /** Client outages healed during the run. */
  outages: number;
  /**
   * Client outages applied whose heal Toxiproxy never confirmed (it failed, or the run ended first): how the fleet
   * came back after them is unknown, so they count neither as reconnected nor as missing.
   */
  unhealed: number;
  /** Camera reconnections measured across all of them. */
  reconnected: number;
  /** Cameras connected before an outage that had not come back by the end of the run (or the next outage). */
  missing: number;
  /** Reconnect time in ms: p50, p95, max across every camera and outage; Infinity where cameras never came back. */
  p50: number;
  p95: number;
  max: number;
  /**
   * Per outage (`healedAt`: when its heal was called), the time until the first camera came back (ms; null when none
   * did) and until the last (null when some never did). Between the two the fleet reconnects as fast as the target
   * lets it; before the first, cameras are still waiting out their backoff.
   */
  perOutage: { healedAt: number; cameras: number; reconnected: number; p95: number; firstBackMs: number | null; allBackMs: number | null }[];
}

interface Outage {
  healedAt: number;
  /** Cameras connected when it began that have not come back since the heal. */
  waiting: Set<string>;
  cameras: number;
  times: number[];
}

export class ReconnectTracker {
  private readonly connected = new Set<string>();
  /** When each camera last closed: an outage's start record may arrive after the closes it caused. */
  private readonly closedAt = new Map<string, number>();
  /** When each connected camera was welcomed: it may be back before its outage's heal is confirmed. */
  private readonly welcomedAt = new Map<string, number>();
  private readonly outages: Outage[] = [];
  private readonly openOutages = new Map<string, Set<string>>();
  private current: Outage | undefined;
  private readonly histogram = hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });

  observe(record: HistoryRecord): void {
    if (record.type === 'camera') {
      if (record.state === 'welcome') {
        this.connected.add(record.cameraId);
        this.welcomedAt.set(record.cameraId, record.t);
        if (this.current) this.cameBack(this.current, record.cameraId, record.t);
      } else if (record.state === 'closed' || record.state === 'refused') {
        this.welcomedAt.delete(record.cameraId);
        if (this.connected.delete(record.cameraId)) this.closedAt.set(record.cameraId, record.t);
      }
    } else if (record.type === 'fault' && record.fault === 'outage' && record.path === 'client') {
      if (record.action === 'start') {
        // Recorded once Toxiproxy confirmed it, with the time the call was made: cameras it already dropped were up then.
        const before = new Set(this.connected);
        for (const [cameraId, t] of this.closedAt) if (t >= record.t) before.add(cameraId);
        this.openOutages.set(record.id, before);
      } else if (record.action === 'heal') {
        const before = this.openOutages.get(record.id);
        if (!before) return;
        this.openOutages.delete(record.id);
        const healedAt = Math.min(record.t, record.calledAt ?? record.t);
        this.current = { healedAt, waiting: before, cameras: before.size, times: [] };
        this.outages.push(this.current);
        // Welcomed since the heal was called but before Toxiproxy confirmed it: back already.
        for (const cameraId of before) {
          const welcomed = this.welcomedAt.get(cameraId);
          if (welcomed !== undefined && welcomed >= healedAt) this.cameBack(this.current, cameraId, welcomed);
        }
      }
    }
  }

  private cameBack(outage: Outage, cameraId: string, t: number): void {
    if (!outage.waiting.delete(cameraId)) return;
    const ms = Math.max(0, t - outage.healedAt);
    outage.times.push(ms);
    this.histogram.recordValue(Math.max(1, Math.round(ms)));
  }

  stats(): ReconnectStats {
    const perOutage = this.outages.map((outage) => {
      const sorted = [...outage.times].sort((a, b) => a - b);
      return {
        healedAt: outage.healedAt,
        cameras: outage.cameras,
        reconnected: sorted.length,
        p95: sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]! : 0,
        firstBackMs: sorted.length > 0 ? sorted[0]! : null,
        allBackMs: outage.waiting.size === 0 && sorted.length > 0 ? sorted[sorted.length - 1]! : null,
      };
    });
    const reconnected = perOutage.reduce((sum, o) => sum + o.reconnected, 0);
    const missing = this.outages.reduce((sum, o) => sum + o.waiting.size, 0);
    return {
      outages: this.outages.length,
      unhealed: this.openOutages.size,
      reconnected,
      missing,
      p50: this.percentile(50, reconnected, missing),
      p95: this.percentile(95, reconnected, missing),
      max: missing > 0 ? Infinity : reconnected > 0 ? this.histogram.maxValue : 0,
      perOutage,
    };
  }

  /**
   * A camera that never came back took forever, not nothing: it counts at the slow end, so a fleet that mostly
   * failed to reconnect reads as Infinity (null in JSON) and breaches any reconnect gate instead of passing it.
   */
  private percentile(p: number, reconnected: number, missing: number): number {
    const total = reconnected + missing;
    if (total === 0) return 0;
    const rank = Math.ceil((p / 100) * total);
    if (rank > reconnected) return Infinity;
    return this.histogram.getValueAtPercentile(Math.min(100, (rank / reconnected) * 100));
  }
}
