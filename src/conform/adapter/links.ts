/**
 * What conform hands an adapter's device and push hooks, and reads back: a `DeviceLink` that keeps the acks and
 * drops a camera reported, and a `PushSink` that keeps what a user's channel delivered. Both can be awaited, so a
 * step waits on the event itself, bounded, never on a fixed sleep.
 */
import { shownItemProblem } from '../../adapter/call.ts';
import type { DeviceConnection, DeviceLink, PushSink, ShownItem } from '../../adapter/types.ts';

/** Resolves when `listeners` next hears something that makes `done()` true, or false after `withinMs`. */
function waitUntil(listeners: Set<() => void>, done: () => boolean, withinMs: number): Promise<boolean> {
  if (done()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const check = () => {
      if (!done()) return;
      finish(true);
    };
    const finish = (result: boolean) => {
      clearTimeout(timer);
      listeners.delete(check);
      resolve(result);
    };
    const timer = setTimeout(() => finish(done()), withinMs);
    listeners.add(check);
  });
}

/** A camera's link: what the adapter reported through `acked`, `dropped` and `unreadable`. */
export class CameraLink implements DeviceLink {
  readonly acks = new Set<string>();
  readonly unreadables: string[] = [];
  dropReason: string | undefined;
  private readonly listeners = new Set<() => void>();

  acked(eventId: string): void {
    if (typeof eventId === 'string') this.acks.add(eventId);
    this.notify();
  }

  dropped(reason?: string, code?: number): void {
    this.dropReason = `${reason ?? 'closed'}${code === undefined ? '' : ` (code ${code})`}`;
    this.notify();
  }

  unreadable(message: string): void {
    this.unreadables.push(String(message).slice(0, 200));
  }

  /** True once `eventId` is acked; false when `withinMs` passed or the connection dropped first. */
  waitAck(eventId: string, withinMs: number): Promise<boolean> {
    return waitUntil(this.listeners, () => this.acks.has(eventId) || this.dropReason !== undefined, withinMs).then(() => this.acks.has(eventId));
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** A connected camera: its connection (as the adapter returned it) and its link. */
export interface Camera {
  readonly id: string;
  readonly connection: DeviceConnection;
  readonly link: CameraLink;
}

/** A user's push channel as conform sees it: every item delivered, in order, and why it closed. */
export class PushLog implements PushSink {
  readonly items: ShownItem[] = [];
  /** Items in the wrong shape: the adapter's fault, reported by the step that reads this log. */
  readonly faults: string[] = [];
  readonly unreadables: string[] = [];
  closeReason: string | undefined;
  private readonly listeners = new Set<() => void>();

  item(item: ShownItem): void {
    const problem = shownItemProblem(item);
    if (problem) this.faults.push(`handed ${problem}`);
    else this.items.push({ ...item });
    this.notify();
  }

  closed(reason?: string): void {
    this.closeReason = reason ?? 'closed';
    this.notify();
  }

  unreadable(message: string): void {
    this.unreadables.push(String(message).slice(0, 200));
  }

  /** The delivered item of `eventId`, once it comes; undefined after `withinMs` or when the channel closed first. */
  async waitFor(eventId: string, withinMs: number): Promise<ShownItem | undefined> {
    const find = () => this.items.find((item) => item.eventId === eventId);
    await waitUntil(this.listeners, () => find() !== undefined || this.closeReason !== undefined, withinMs);
    return find();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
