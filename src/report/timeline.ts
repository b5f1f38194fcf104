/**
 * The run over time, for charts: per-second buckets of connected cameras, users with a live stream, events
 * acknowledged, items shown, and phases; built by a pure reducer over history records, live or from a journal.
 */
import type { HistoryRecord } from '../world/history.ts';

export interface TimelineBucket {
  /** Seconds since the run started. */
  s: number;
  cameras: number;
  streams: number;
  acked: number;
  shown: number;
  errors: number;
}

export interface Timeline {
  startedAt: number;
  buckets: TimelineBucket[];
  phases: { name: string; at: number }[];
}

export class TimelineRecorder {
  private readonly buckets: TimelineBucket[] = [];
  private readonly phases: { name: string; at: number }[] = [];
  private readonly connected = new Set<string>();
  private readonly streaming = new Map<string, number>();
  private streams = 0;

  constructor(private startedAt: number) {}

  observe(record: HistoryRecord): void {
    if (record.type === 'phase') {
      if (this.phases.length === 0 && this.buckets.length === 0) this.startedAt = record.t;
      this.phases.push({ name: record.name, at: Math.max(0, (record.t - this.startedAt) / 1000) });
      return;
    }
    const t = record.type === 'access' ? record.end : record.t;
    const bucket = this.bucketAt(t);
    switch (record.type) {
      case 'camera':
        if (record.state === 'welcome') this.connected.add(record.cameraId);
        else if (record.state === 'closed' || record.state === 'refused') this.connected.delete(record.cameraId);
        bucket.cameras = this.connected.size;
        break;
      case 'user':
        if (record.state === 'stream-open') this.streamDelta(record.userId, 1);
        else if (record.state === 'stream-closed') this.streamDelta(record.userId, -1);
        bucket.streams = this.streams;
        break;
      case 'acked':
        bucket.acked += 1;
        break;
      case 'shown':
        bucket.shown += record.events.length;
        break;
      case 'cameras':
        bucket.shown += record.cameras.length;
        break;
      case 'thumbnail':
        if (record.status === 200) bucket.shown += 1;
        break;
      case 'error':
        bucket.errors += record.count ?? 1;
        break;
    }
  }

  timeline(): Timeline {
    return { startedAt: this.startedAt, buckets: this.buckets, phases: this.phases };
  }

  private streamDelta(userId: string, delta: number): void {
    const open = Math.max(0, (this.streaming.get(userId) ?? 0) + delta);
    const before = this.streaming.get(userId) ?? 0;
    if (open === 0) this.streaming.delete(userId);
    else this.streaming.set(userId, open);
    this.streams += (open > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
  }

  /** The bucket of second `t`, creating the seconds in between so gauges carry forward. */
  private bucketAt(t: number): TimelineBucket {
    const s = Math.max(0, Math.floor((t - this.startedAt) / 1000));
    while (this.buckets.length <= s) {
      const last = this.buckets.at(-1);
      this.buckets.push({ s: this.buckets.length, cameras: last?.cameras ?? 0, streams: last?.streams ?? 0, acked: 0, shown: 0, errors: 0 });
    }
    return this.buckets[s]!;
  }
}
