/**
 * The accepted events, in the order the cloud accepted them, and each user's index into them. An event is
 * appended to the index of every user in its audience (who had access when it was accepted); listing walks that
 * index and leaves out what the user cannot see any more. The sequence number never restarts, not even when the
 * world is replaced, so a cursor handed out earlier can never point into a different history.
 */
import type { EVENT_KINDS } from '../../src/protocol/schema.ts';

export interface StoredEvent {
  /** Global acceptance order; the cursor is built from it. */
  seq: number;
  eventId: string;
  cameraId: string;
  kind: (typeof EVENT_KINDS)[number];
  ts: number;
  thumbnail: Buffer;
  /** Users with access to the camera at the moment the event was accepted. */
  audience: readonly string[];
}

export class EventLog {
  private lastSeq = 0;
  private readonly byId = new Map<string, StoredEvent>();
  /** Per user, the events of their audience, ascending by seq. */
  private readonly feeds = new Map<string, StoredEvent[]>();

  get(eventId: string): StoredEvent | undefined {
    return this.byId.get(eventId);
  }

  get size(): number {
    return this.byId.size;
  }

  append(event: Omit<StoredEvent, 'seq'>): StoredEvent {
    const stored: StoredEvent = { ...event, seq: ++this.lastSeq };
    this.byId.set(stored.eventId, stored);
    for (const userId of stored.audience) {
      const feed = this.feeds.get(userId);
      if (feed) feed.push(stored);
      else this.feeds.set(userId, [stored]);
    }
    return stored;
  }

  /**
   * Up to `limit` events of the user's index after `afterSeq` that pass `visible`, and the seq to continue from.
   * Events skipped as invisible are passed over for good: continuing from them would only re-test the same ones.
   */
  page(userId: string, afterSeq: number, limit: number, visible: (event: StoredEvent) => boolean): { events: StoredEvent[]; lastSeq: number } {
    const feed = this.feeds.get(userId) ?? [];
    const events: StoredEvent[] = [];
    let lastSeq = afterSeq;
    for (let i = firstAfter(feed, afterSeq); i < feed.length && events.length < limit; i++) {
      const event = feed[i]!;
      lastSeq = event.seq;
      if (visible(event)) events.push(event);
    }
    return { events, lastSeq };
  }

  /**
   * Offset paging over the same index: up to `limit` visible events from position `offset` of the user's index,
   * and the position to continue from. Positions count every event of the index, visible or not, so they never
   * shift: the index only grows at its end (until the world is replaced).
   */
  pageAt(userId: string, offset: number, limit: number, visible: (event: StoredEvent) => boolean): { events: StoredEvent[]; nextOffset: number } {
    const feed = this.feeds.get(userId) ?? [];
    const events: StoredEvent[] = [];
    let position = Math.min(offset, feed.length);
    for (; position < feed.length && events.length < limit; position++) {
      const event = feed[position]!;
      if (visible(event)) events.push(event);
    }
    return { events, nextOffset: position };
  }

  /** Forgets every event; the sequence goes on from where it was. */
  clear(): void {
    this.byId.clear();
    this.feeds.clear();
  }
}

/** Index of the first event with seq > afterSeq (binary search: feeds are sorted by seq). */
function firstAfter(feed: readonly StoredEvent[], afterSeq: number): number {
  let low = 0;
  let high = feed.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (feed[mid]!.seq <= afterSeq) low = mid + 1;
    else high = mid;
  }
  return low;
}
