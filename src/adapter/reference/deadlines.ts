/**
 * Each request's time limit and the run's stop, as one abort signal per request, swept by one timer for all of
 * them. A signal per request made of `AbortSignal.any([stop, AbortSignal.timeout(ms)])` costs a timer, weak
 * references and a finalization entry each: in a storm of thousands of users that was about a tenth of a user's
 * polling cost. Here a request costs one controller and a map entry; a late request is cut within one sweep.
 */
const SWEEP_MS = 100;

export class Deadlines {
  /** Requests in flight and when each must be cut (performance.now() ms): in deadline order, as all wait as long. */
  private readonly pending = new Map<AbortController, number>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly stopSignal: AbortSignal,
  ) {
    stopSignal.addEventListener('abort', () => {
      for (const controller of this.pending.keys()) controller.abort(stopSignal.reason);
      this.pending.clear();
      this.idle();
    }, { once: true });
  }

  /** Runs `call` with a signal that aborts at the time limit or at the stop, whichever comes first. */
  async within<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (this.stopSignal.aborted) controller.abort(this.stopSignal.reason);
    else {
      this.pending.set(controller, performance.now() + this.timeoutMs);
      this.sweeper ??= setInterval(() => this.sweep(), Math.min(SWEEP_MS, this.timeoutMs)).unref();
    }
    try {
      return await call(controller.signal);
    } finally {
      this.pending.delete(controller);
      if (this.pending.size === 0) this.idle();
    }
  }

  private sweep(): void {
    const now = performance.now();
    for (const [controller, deadline] of this.pending) {
      if (now < deadline) break; // the rest started later
      this.pending.delete(controller);
      // The same error AbortSignal.timeout gives, so error records read as before.
      controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }
    if (this.pending.size === 0) this.idle();
  }

  private idle(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
