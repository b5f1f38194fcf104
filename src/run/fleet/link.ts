/**
 * A worker's side of the collector: learn the run (its fingerprint and clock), say hello, send batches, post the
 * tally. Every call has a timeout; waits are bounded by a deadline and end on the worker's signal.
 */
import { UnavailableError, UsageError } from '../../errors.ts';
import type { PlanFingerprint } from '../plan.ts';
import { sleep } from '../time.ts';
import type { WorkerTally } from './collector.ts';

const CALL_TIMEOUT_MS = 10_000;
const POLL_MS = 100;

export interface Answer {
  ok: boolean;
  status: number;
  /** Why it failed, one line. */
  why: string;
  /** Worth trying again: the collector was unreachable or busy, not refusing. */
  retry: boolean;
  body?: unknown;
}

/** What the collector says about its run. */
export interface RunDescription {
  startedAt: number | null;
  fingerprint: PlanFingerprint | null;
  workers: number | null;
}

export class CollectorLink {
  constructor(
    readonly url: string,
    private readonly token: string,
    /** This worker's 0-based index and the run's worker count. */
    readonly index: number,
    readonly count: number,
  ) {}

  async post(body: unknown): Promise<Answer> {
    return this.call('POST', JSON.stringify(body));
  }

  /** The run as the collector describes it; retried while the collector is not up yet, until `deadline`. */
  async describe(signal: AbortSignal, deadline: number): Promise<RunDescription> {
    for (;;) {
      const answer = await this.call('GET');
      if (answer.ok) return answer.body as RunDescription;
      if (!answer.retry) throw this.refusal(answer);
      if (Date.now() >= deadline || !(await sleep(500, signal))) {
        throw new UnavailableError(`the collector at ${this.url} did not answer (${answer.why})`, 'start the run (its judge) first, and check --collector');
      }
    }
  }

  /** Joins the run: ready, waiting for the clock. */
  async hello(): Promise<void> {
    const answer = await this.post({ worker: this.index, hello: { count: this.count } });
    if (answer.ok) return;
    if (answer.status === 409) throw new UsageError(`the run refused this worker: ${answer.why}`);
    throw this.refusal(answer);
  }

  /** Waits for the run's clock to start; undefined when the signal fired or `deadline` passed first. */
  async clock(signal: AbortSignal, deadline: number): Promise<number | undefined> {
    while (Date.now() < deadline) {
      const answer = await this.call('GET');
      const startedAt = answer.ok ? (answer.body as RunDescription).startedAt : null;
      if (startedAt !== null) return startedAt;
      if (!answer.ok && !answer.retry) throw this.refusal(answer);
      if (!(await sleep(POLL_MS, signal))) return undefined;
    }
    return undefined;
  }

  /** Posts this worker's account; a few tries, then an error: without it the run cannot be judged. */
  async tally(tally: WorkerTally): Promise<void> {
    let answer: Answer | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      answer = await this.post({ worker: this.index, tally });
      if (answer.ok || !answer.retry) break;
    }
    if (!answer!.ok) throw new UnavailableError(`could not post this worker's tally to ${this.url}: ${answer!.why}`);
  }

  private refusal(answer: Answer): Error {
    if (answer.status === 401) return new UsageError('the collector refused this worker\'s token', 'set STAMPEDE_COLLECTOR_TOKEN to the run\'s collector token');
    return new UsageError(`the collector at ${this.url} refused this worker: ${answer.why}`, 'check --collector');
  }

  private async call(method: 'GET' | 'POST', body?: string): Promise<Answer> {
    try {
      const response = await fetch(this.url, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (response.ok) return { ok: true, status: response.status, why: '', retry: false, body: parsed };
      const message = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? `HTTP ${response.status}`;
      return { ok: false, status: response.status, why: message, retry: response.status >= 500 || response.status === 429 };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { ok: false, status: 0, why: cause ?? (error as Error).message, retry: true };
    }
  }
}
