/** The user's push stream, `/v1/stream`: opening it, awaiting a given push, and collecting what else arrived. */
import { StreamMessage, type Event } from '../protocol/schema.ts';
import { conformsTo } from './answers.ts';
import type { CameraEvent } from './camera.ts';
import { Mismatch } from './expectation.ts';
import type { ProtocolSocket } from './socket.ts';
import type { Target } from './target.ts';

/**
 * The server may still be registering the subscription when the client sees the upgrade complete (an async
 * token lookup, say); a short pause keeps conform from blaming it for an event sent in that instant.
 */
const SUBSCRIBE_SETTLE_MS = 200;
/** After the expected push arrived, how long a wrongly pushed foreign event has to show up. */
export const LEAK_LISTEN_MS = 300;

export async function openStream(target: Target, token: string, via: 'header' | 'query'): Promise<ProtocolSocket> {
  const socket = via === 'header'
    ? target.socket('/v1/stream', { authorization: `Bearer ${token}` })
    : target.socket(`/v1/stream?token=${encodeURIComponent(token)}`);
  await socket.opened();
  await new Promise((resolve) => setTimeout(resolve, SUBSCRIBE_SETTLE_MS));
  return socket;
}

/** Waits for the push of `event`, returning every pushed event seen up to and including it. */
export async function awaitPush(stream: ProtocolSocket, event: CameraEvent, maxMessages = 20): Promise<Event[]> {
  const pushed: Event[] = [];
  for (let i = 0; i < maxMessages; i += 1) {
    const message = conformsTo(await stream.next(), StreamMessage, 'stream pushed', '{"type":"event","event":Event}');
    pushed.push(message.event);
    if (message.event.eventId === event.eventId) return pushed;
  }
  throw new Mismatch(`${maxMessages} pushes without ${event.eventId}`, `a push of ${event.eventId}`);
}

/** Pushed events that arrived without waiting, validated. */
export function drainPushes(stream: ProtocolSocket): Event[] {
  return stream.drain().map((m) => conformsTo(m, StreamMessage, 'stream pushed', '{"type":"event","event":Event}').event);
}
