/**
 * The users' push channels, through the adapter's `users.push`. Each user holds at most one; on any close it waits
 * a jittered backoff, reopens, and then catches up through the event list from its last cursor. Each channel gets
 * one small sink object (no closures): a report through a sink that is no longer its user's is ignored.
 */
import { channelProblem, classifyFailure, shownItemProblem } from '../../src/adapter/call.ts';
import type { PushChannel, PushSink, ShownItem } from '../../src/adapter/types.ts';
import { arrivedNoEarlierThan } from './loop-turns.ts';
import { fullJitterBackoff, type Random } from './random.ts';
import { retries, shownEvent, type UserDriver, type UserSim } from './user.ts';
import type { UserFleetConfig } from './user-options.ts';

/** One push channel's sink. */
class StreamSink implements PushSink {
  channel: PushChannel | undefined;
  /** Ended: closed by the backend, failed to open, or closed by the fleet. */
  ended = false;
  constructor(readonly streams: UserStreams, readonly sim: UserSim) {}

  item(item: ShownItem): void {
    if (!this.ended) this.streams.handleItem(this, item);
  }

  closed(_reason?: string, options?: { loggedOut?: boolean; code?: number }): void {
    if (!this.ended) this.streams.handleClose(this, options?.loggedOut === true, options?.code);
  }

  unreadable(message: string): void {
    if (!this.ended) this.streams.driver.error(this.sim, 'user.stream', String(message).slice(0, 200));
  }
}

export class UserStreams {
  /** Channels open or opening, so stop() can close them. */
  readonly open = new Set<StreamSink>();

  constructor(
    readonly driver: UserDriver,
    private readonly config: UserFleetConfig,
    private readonly random: Random,
  ) {}

  openFor(sim: UserSim): void {
    sim.nextStream = Infinity;
    const sink = new StreamSink(this, sim);
    this.open.add(sink);
    let opening: Promise<PushChannel>;
    try {
      opening = Promise.resolve(this.driver.run.adapter.users.push!(this.driver.run.ctx, sim.session, sink));
    } catch (error) {
      opening = Promise.reject(error);
    }
    opening.then(
      (channel) => this.opened(sink, channel),
      (error) => this.failed(sink, error),
    );
  }

  private opened(sink: StreamSink, channel: PushChannel): void {
    const problem = channelProblem(channel);
    if (problem) {
      if (!sink.ended) this.driver.fault(sink.sim, 'users.push', problem);
      return this.end(sink, false, undefined, false);
    }
    if (sink.ended || this.driver.stopping) {
      sink.ended = true;
      this.open.delete(sink);
      return void closeChannel(channel);
    }
    sink.channel = channel;
    const { sim } = sink;
    sim.streamAttempts = 0;
    this.driver.counters.streamsOpen++;
    this.config.recorder.record({ type: 'user', t: Date.now(), userId: sim.user.userId, state: 'stream-open', ...retries(sim.streamFailures) });
    sim.streamFailures = 0;
    // Whatever was accepted while the channel was down only shows up through the list.
    this.driver.resume(sim);
  }

  private failed(sink: StreamSink, error: unknown): void {
    if (sink.ended) return;
    const failure = classifyFailure(error);
    if (failure.kind === 'fault') this.driver.fault(sink.sim, 'users.push', failure.message);
    const code = failure.kind === 'fault' ? undefined : failure.code ?? (failure.kind === 'refused' ? failure.status : undefined);
    this.end(sink, failure.kind === 'refused' && failure.status === 401, code, false);
  }

  handleItem(sink: StreamSink, item: ShownItem): void {
    const { sim } = sink;
    const problem = shownItemProblem(item);
    if (problem) return this.driver.fault(sim, 'users.push', `pushed ${problem}`);
    const t = Date.now();
    const events = [shownEvent(item)];
    this.driver.counters.streamMessages++;
    // Shown when handled, but it may have waited in the socket while the loop was busy: judged from when it may have come.
    this.config.recorder.record({ type: 'shown', surface: 'stream', start: arrivedNoEarlierThan(), t, userId: sim.user.userId, events });
    this.driver.remember(sim, events);
  }

  handleClose(sink: StreamSink, loggedOut: boolean, code: number | undefined): void {
    this.end(sink, loggedOut, code, true);
  }

  /**
   * The channel is over: reopen after a backoff. A channel that was open is recorded as closed; one that failed to
   * open is only counted, so an app retrying through an outage costs the journal nothing per try (`retries`).
   */
  private end(sink: StreamSink, loggedOut: boolean, code: number | undefined, wasOpen: boolean): void {
    sink.ended = true;
    this.open.delete(sink);
    if (wasOpen && sink.channel) this.driver.counters.streamsOpen--;
    const { sim } = sink;
    const t = Date.now();
    if (wasOpen) this.config.recorder.record({ type: 'user', t, userId: sim.user.userId, state: 'stream-closed', ...(code === undefined ? {} : { code }) });
    else {
      sim.streamFailures++;
      this.driver.counters.failedAttempts++;
    }
    if (this.driver.stopping) return;
    if (loggedOut) this.driver.loggedOut(sim);
    sim.nextStream = t + fullJitterBackoff(this.random, this.config.streamBackoff, sim.streamAttempts++);
    this.driver.reschedule(sim);
  }

  /**
   * Closes every channel (a channel whose close resolved counts as ended, whether or not its sink heard so) and
   * resolves when none is left or after `graceMs`; the run's abort cuts what is still opening.
   */
  async closeAll(graceMs: number): Promise<void> {
    for (const sink of this.open) {
      const { channel } = sink;
      if (channel) void closeChannel(channel).then(() => sink.ended || this.end(sink, false, undefined, true));
    }
    const end = Date.now() + graceMs;
    while (this.open.size > 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function closeChannel(channel: PushChannel): Promise<void> {
  try {
    await channel.close();
  } catch {
    // Closing at the end: nothing left to record it against.
  }
}
