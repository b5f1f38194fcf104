/** The user's push stream, `/v1/stream`: opening it, awaiting a given push, and collecting what else arrived. */
import { StreamMessage, type Event } from '../protocol/schema.ts';
import { conformsTo } from './answers.ts';
import { sendEvent, type CameraEvent } from './camera.ts';
import { Mismatch } from './expectation.ts';
import type { Fixture } from './fixture.ts';
import { newEvent } from './session.ts';
import type { ProtocolSocket } from './socket.ts';
import type { Target } from './target.ts';

const PUSH_SHAPE = '{"type":"event","event":Event}';
/** After the expected push arrived, how long a wrongly pushed foreign event has to show up. */
export const LEAK_LISTEN_MS = 300;
/** How long each priming event gets to be pushed before another is sent. */
const PRIME_WAIT_MS = 500;

/**
 * Opens the caller's stream and returns once it demonstrably delivers. A target may subscribe the socket only
 * after the upgrade (an async token lookup), and an event accepted before that is legitimately caught up
 * through `/v1/events` instead of pushed; so fresh events from `camera`, one of the caller's, are sent until
 * one is pushed, within one call timeout.
 */
export async function openLiveStream(
  target: Target,
  token: string,
  via: 'header' | 'query',
  camera: ProtocolSocket,
  fixture: Fixture,
): Promise<ProtocolSocket> {
  const stream = via === 'header'
    ? target.socket('/v1/stream', { authorization: `Bearer ${token}` })
    : target.socket(`/v1/stream?token=${encodeURIComponent(token)}`);
  await stream.opened();
  const primes = new Set<string>();
  const deadline = Date.now() + target.timeoutMs;
  while (Date.now() < deadline) {
    const prime = newEvent(fixture, 'prime');
    await sendEvent(camera, prime);
    primes.add(prime.eventId);
    try {
      while (true) {
        const { event } = conformsTo(await stream.next(PRIME_WAIT_MS), StreamMessage, 'stream pushed', PUSH_SHAPE);
        if (primes.has(event.eventId)) return stream;
      }
    } catch (error) {
      // Not pushed yet: the subscription may still be settling, so send another; garbage or a close is final.
      if (error instanceof Mismatch || stream.closeCode !== undefined) throw error;
    }
  }
  throw new Mismatch(`no push of ${primes.size} events sent in ${target.timeoutMs} ms after the stream opened`, 'the caller\'s new events pushed');
}

/** Waits for the push of `event`, returning every pushed event seen up to and including it. */
export async function awaitPush(stream: ProtocolSocket, event: CameraEvent, maxMessages = 20): Promise<Event[]> {
  const pushed: Event[] = [];
  for (let i = 0; i < maxMessages; i += 1) {
    const message = conformsTo(await stream.next(), StreamMessage, 'stream pushed', PUSH_SHAPE);
    pushed.push(message.event);
    if (message.event.eventId === event.eventId) return pushed;
  }
  throw new Mismatch(`${maxMessages} pushes without ${event.eventId}`, `a push of ${event.eventId}`);
}

/** Pushed events that arrived without waiting, validated. */
export function drainPushes(stream: ProtocolSocket): Event[] {
  return stream.drain().map((m) => conformsTo(m, StreamMessage, 'stream pushed', PUSH_SHAPE).event);
}
