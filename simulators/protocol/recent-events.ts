/**
 * Event ids the camera fleet recently had acknowledged, shared in-process with the user fleet so curious users
 * can ask for other people's thumbnails. Both sims live in the harness, so this is knowledge an attacker guessing
 * ids would have, not a back door into the target.
 */
export interface RecentEvent {
  cameraId: string;
  eventId: string;
}

/** A fixed-size ring: the newest `capacity` events, oldest overwritten first. */
export class RecentEvents {
  private readonly ring: (RecentEvent | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity = 4096) {
    this.ring = new Array<RecentEvent | undefined>(capacity);
  }

  add(cameraId: string, eventId: string): void {
    this.ring[this.next] = { cameraId, eventId };
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** A random recent event whose camera passes `accept`, or undefined after a bounded number of tries. */
  pick(random: () => number, accept: (cameraId: string) => boolean, tries = 16): RecentEvent | undefined {
    for (let i = 0; i < tries && this.count > 0; i++) {
      const candidate = this.ring[Math.floor(random() * this.count)];
      if (candidate && accept(candidate.cameraId)) return candidate;
    }
    return undefined;
  }
}
