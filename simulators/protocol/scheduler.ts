/**
 * One clock for a whole fleet: thousands of clients share a single interval and an indexed min-heap of due
 * times, instead of a timer (and its closure) per client. Each client is due at most once; rescheduling moves it.
 */

/** Something the scheduler can hold: its due time and its place in the heap (-1 when not scheduled). */
export interface Schedulable {
  dueAt: number;
  heapIndex: number;
}

export class FleetScheduler<T extends Schedulable> {
  private readonly heap: T[] = [];
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param run called for each client whose time has come, already removed from the heap
   * @param tickMs how often the clock ticks; jitter finer than this is not honoured, which is fine for load
   * @param sliceMs a tick stops running clients after this long, so a reconnect storm (each connect costs a
   *   fraction of a millisecond) never blocks the event loop: the rest wait for the next tick
   */
  constructor(
    private readonly run: (item: T, now: number) => void,
    private readonly tickMs = 10,
    private readonly sliceMs = 20,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.runDue(Date.now()), this.tickMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const item of this.heap) item.heapIndex = -1;
    this.heap.length = 0;
  }

  get size(): number {
    return this.heap.length;
  }

  /** Makes `item` due at `at` (ms since epoch), moving it if it was already due at another time. */
  schedule(item: T, at: number): void {
    item.dueAt = at;
    if (item.heapIndex < 0) {
      item.heapIndex = this.heap.length;
      this.heap.push(item);
    }
    this.siftUp(item.heapIndex);
    this.siftDown(item.heapIndex);
  }

  cancel(item: T): void {
    const index = item.heapIndex;
    if (index < 0) return;
    const last = this.heap.pop()!;
    item.heapIndex = -1;
    if (last !== item) {
      this.heap[index] = last;
      last.heapIndex = index;
      this.siftUp(index);
      this.siftDown(last.heapIndex);
    }
  }

  /** Runs clients due at `now`, earliest first, for at most one time slice; returns how many ran. */
  runDue(now: number): number {
    const started = performance.now();
    for (let ran = 0; ; ) {
      const first = this.heap[0];
      if (!first || first.dueAt > now) return ran;
      ran++;
      this.cancel(first);
      this.run(first, now);
      // Reading the clock costs too; every 16 clients is often enough.
      if ((ran & 15) === 0 && performance.now() - started > this.sliceMs) return ran;
    }
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const item = heap[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (parent.dueAt <= item.dueAt) break;
      heap[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    heap[index] = item;
    item.heapIndex = index;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const item = heap[index]!;
    const length = heap.length;
    for (;;) {
      let smallest = index;
      let smallestItem = item;
      const left = 2 * index + 1;
      if (left < length && heap[left]!.dueAt < smallestItem.dueAt) {
        smallest = left;
        smallestItem = heap[left]!;
      }
      const right = left + 1;
      if (right < length && heap[right]!.dueAt < smallestItem.dueAt) {
        smallest = right;
        smallestItem = heap[right]!;
      }
      if (smallest === index) break;
      heap[index] = smallestItem;
      smallestItem.heapIndex = index;
      index = smallest;
    }
    heap[index] = item;
    item.heapIndex = index;
  }
}
