/**
 * What one autocannon connection needs, beyond autocannon's public options, to carry a user the oracle can judge.
 * autocannon 9.0.0 (pinned exactly for this) hands `onResponse` the body as a string concatenated chunk by chunk,
 * which mangles a thumbnail's bytes; it reconnects a refused connection at once, which during an outage is a busy
 * loop costing the harness more than the target; and after a dropped connection it keeps the old connection's
 * in-flight request and half-parsed answer, so the next answer would be matched with the wrong request. Each is
 * fixed here on the client instance, in `setupClient`, the one place autocannon lets us reach it.
 */
import type { Client } from 'autocannon';

/** One answer's raw bytes as they came, bounded. */
export interface BodyBuffer {
  /** The bytes of the answer being read, in chunks. */
  chunks: Buffer[];
  size: number;
  /** The answer outgrew `limit`: its bytes are dropped and the answer is a problem. */
  tooLarge: boolean;
  /** The most bytes kept of one answer; set per request, before it is sent. */
  limit: number;
}

export interface CannonConnection {
  /** How long the next connect waits (ms) after `failures` failed tries in a row. */
  backoffMs(failures: number): number;
  /** Where the answer being read goes. */
  body: BodyBuffer;
  /**
   * Once the connection answers again after failing, it makes requests as fast as the target answers for this
   * long (ms) before going back to its rate: the app reopening and refreshing everything at once.
   */
  burstMs: number;
}

/** autocannon's client internals this module touches (autocannon 9.0.0, lib/httpClient.js). */
interface ClientInternals {
  destroyed: boolean;
  /** Requests a second at most; 0 or undefined: no limit. */
  rate: number | undefined;
  rateInterval?: NodeJS.Timeout;
  _connect(): void;
  pipelinedRequests: { peek(): unknown; clear(): void; addBody(data: Buffer): void };
  parser: { type: string; initialize(type: string): void };
  on(event: 'connError' | 'response', listener: () => void): void;
}

/** Takes over `client`'s body handling and reconnects as described above; `conn` holds the state. */
export function adoptClient(client: Client, conn: CannonConnection): void {
  const internals = client as unknown as ClientInternals;
  const { body } = conn;
  // Bytes kept as Buffers: no string is built, and a thumbnail arrives byte for byte.
  internals.pipelinedRequests.addBody = (data: Buffer) => {
    if (body.tooLarge) return;
    body.size += data.length;
    if (body.size > body.limit) {
      body.tooLarge = true;
      body.chunks.length = 0;
      return;
    }
    body.chunks.push(data);
  };
  let failures = 0;
  let waiting: NodeJS.Timeout | undefined;
  let burst: NodeJS.Timeout | undefined;
  const rate = internals.rate;
  internals.on('connError', () => void failures++);
  internals.on('response', () => {
    if (failures > 0 && rate && conn.burstMs > 0 && !burst) {
      internals.rate = 0;
      burst = setTimeout(() => {
        burst = undefined;
        internals.rate = rate;
      }, conn.burstMs);
    }
    failures = 0;
  });
  const original = internals._connect.bind(internals);
  // A new connection starts clean: nothing of the old one's requests (autocannon's rate timer may have queued one
  // on the dead connection while it waited) or half-read answer carries over.
  const connect = (): void => {
    internals.pipelinedRequests.clear();
    internals.parser.initialize(internals.parser.type);
    body.chunks.length = 0;
    body.size = 0;
    body.tooLarge = false;
    original();
  };
  internals._connect = () => {
    if (waiting || internals.destroyed) return;
    if (failures === 0) return connect();
    waiting = setTimeout(() => {
      waiting = undefined;
      if (!internals.destroyed) connect();
    }, conn.backoffMs(failures));
  };
  (client as unknown as NodeJS.EventEmitter).on('done', () => {
    clearTimeout(waiting);
    clearTimeout(burst);
    // autocannon clears its rate timer only while the rate is set, which a burst unsets.
    clearInterval(internals.rateInterval);
  });
}

/** The answer's bytes as one view (no copy for a one-chunk answer), and the buffer emptied for the next. */
export function takeBody(body: BodyBuffer): Uint8Array {
  const { chunks } = body;
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  chunks.length = 0;
  body.size = 0;
  return bytes;
}
