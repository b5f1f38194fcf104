/**
 * The observation collector: where the fleet's worker processes send their history records in batches, over plain
 * HTTP so the same channel serves workers on this machine and in a cluster. Each record goes to the run's Recorder,
 * so the one oracle judges a split fleet's observations exactly as it judges a fleet in the run's own process.
 * Bounded (body size, records per batch), authenticated by a per-run random token, loopback-only unless asked
 * otherwise, and it counts what each worker delivered so the run can tell a lossless fleet from one that lost
 * records in transit.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { keepSecret } from '../../protocol/redact.ts';
import type { HistoryRecord, Recorder } from '../../world/history.ts';

/** A running collector. */
export interface Collector {
  /** Where workers POST their batches. */
  readonly url: string;
  /** The bearer token workers must send; never logged. */
  readonly token: string;
  /** Records accepted from each worker so far, by its 0-based index. */
  received(): ReadonlyMap<number, number>;
  /** The cameras and users each worker simulated, as their records name them: each worker's share. */
  shares(): ReadonlyMap<number, WorkerClients>;
  /** What each worker said about itself at its end. */
  tallies(): ReadonlyMap<number, WorkerTally>;
  /** The workers that have said hello (ready, waiting for the clock), by index. */
  hellos(): ReadonlySet<number>;
  /** Starts the run's clock: workers waiting for it (GET) learn it and begin; no hello is taken after this. */
  start(startedAt: number): void;
  /** Batches refused (bad token, too big, malformed), for diagnostics. */
  refused(): number;
  /** Batches that came again under a number already taken (retries whose first answer was lost), dropped. */
  repeats(): number;
  close(): Promise<void>;
}

/** The cameras and users one worker's records name. */
export interface WorkerClients {
  cameras: Set<string>;
  users: Set<string>;
}

/**
 * A worker's own account at its end: the records it made, the batches it gave up on after retries, and the cameras
 * and users it simulated (their indices in the world's arrays), so the run can check the slices cover the world.
 */
export interface WorkerTally {
  records: number;
  batchesFailed: number;
  cameras: number[];
  users: number[];
}

export interface CollectorOptions {
  recorder: Recorder;
  /** The bearer token workers must send; random when left out, given when it was already handed out. */
  token?: string;
  /** The run's start, told to workers that ask (GET): they set their clocks by it. Unset until start(). */
  startedAt?: number;
  /** What the run is (scenario, seed, sizes, world), told to workers so one built from other flags refuses itself. */
  fingerprint?: unknown;
  /** How many workers this run has: a hello from an index outside it, or counting differently, is refused. */
  workers?: number;
  /** Listen here; loopback by default, a cluster run binds an address its workers reach. */
  host?: string;
  port?: number;
  /** The URL workers are told, when it differs from the listening address (a Service in front of it). */
  publicUrl?: string;
  maxBodyBytes?: number;
  maxRecordsPerBatch?: number;
  /**
   * Worker `worker` has now delivered every record it made before `through` (its batches' `through`, taken in
   * order: a batch that overtook an earlier one in flight says nothing until the earlier one arrives).
   */
  shipped?: (worker: number, through: number) => void;
  /** Worker `worker` posted its tally: it ships nothing more that anyone should wait for. */
  done?: (worker: number) => void;
}

const RECORD_TYPES = ['phase', 'fault', 'access', 'camera', 'sent', 'acked', 'user', 'shown', 'cameras', 'thumbnail', 'error', 'load'] as const;

/** A record as a worker built it; its type and times are checked, the rest is the worker's own HistoryRecord. */
const Record = z.looseObject({
  type: z.enum(RECORD_TYPES),
  t: z.number().finite().optional(),
  start: z.number().finite().optional(),
});

function batchSchema(maxRecords: number) {
  return z.object({
    worker: z.number().int().min(0).max(10_000),
    /** One of the worker's shipping streams; batch numbers count per stream. */
    stream: z.number().int().min(0),
    sequence: z.number().int().min(0),
    /** The worker's clock when it closed the batch: every record it made before then is in this batch or an earlier one. */
    through: z.number().finite().optional(),
    records: z.array(Record).max(maxRecords),
  });
}

/** Sent once per worker at its end, after every batch it made was answered or given up. */
const Tally = z.object({
  worker: z.number().int().min(0).max(10_000),
  tally: z.object({
    records: z.number().int().min(0),
    batchesFailed: z.number().int().min(0),
    cameras: z.array(z.number().int().min(0)).max(1_000_000),
    users: z.array(z.number().int().min(0)).max(1_000_000),
  }),
});

/** Sent once per worker before the run's clock starts: it has built its slice and is ready to go. */
const Hello = z.object({
  worker: z.number().int().min(0).max(10_000),
  hello: z.object({ count: z.number().int().min(1).max(10_001) }),
});

export async function startCollector(options: CollectorOptions): Promise<Collector> {
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const Batch = batchSchema(options.maxRecordsPerBatch ?? 2000);
  const token = options.token ?? randomBytes(24).toString('base64url');
  keepSecret(token);
  const expected = Buffer.from(`Bearer ${token}`);
  const received = new Map<number, number>();
  /** Batches already taken, so a retry whose first answer got lost is not recorded twice. */
  const seen = new Set<string>();
  const shares = new Map<number, WorkerClients>();
  const tallies = new Map<number, WorkerTally>();
  const hellos = new Set<number>();
  const marks = new ShippedMarks();
  let startedAt = options.startedAt;
  let refused = 0;
  let repeats = 0;

  const note = (worker: number, record: z.infer<typeof Record>): void => {
    if (record.type !== 'camera' && record.type !== 'user') return;
    let share = shares.get(worker);
    if (!share) shares.set(worker, (share = { cameras: new Set(), users: new Set() }));
    if (record.type === 'camera' && typeof record.cameraId === 'string') share.cameras.add(record.cameraId);
    if (record.type === 'user' && typeof record.userId === 'string') share.users.add(record.userId);
  };

  /** Whether a worker may join: one per index, all counting alike, and only before the clock starts. */
  const greet = (worker: number, count: number): [number, string?] => {
    const expected = options.workers;
    if (expected !== undefined && count !== expected) return [409, `this run has ${expected} workers, not ${count}: give every worker --count ${expected}`];
    if (worker >= count) return [409, `worker index ${worker} is outside 0..${count - 1}`];
    if (hellos.has(worker)) return [409, `a worker with index ${worker} already joined this run: each index runs once`];
    if (startedAt !== undefined) return [409, 'this run\'s clock already started without this worker'];
    hellos.add(worker);
    return [204];
  };

  const answer = (response: ServerResponse, status: number, message?: string): void => {
    if (status >= 400) refused++;
    response.writeHead(status, message ? { 'content-type': 'application/json' } : {});
    response.end(message ? JSON.stringify({ error: { code: String(status), message } }) : undefined);
  };

  const handle = (response: ServerResponse, body: Buffer): void => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return answer(response, 400, 'the body is not JSON');
    }
    const tally = Tally.safeParse(parsed);
    if (tally.success) {
      tallies.set(tally.data.worker, tally.data.tally);
      options.done?.(tally.data.worker);
      return answer(response, 204);
    }
    const hello = Hello.safeParse(parsed);
    if (hello.success) return answer(response, ...greet(hello.data.worker, hello.data.hello.count));
    const batch = Batch.safeParse(parsed);
    if (!batch.success) {
      const issue = batch.error.issues[0];
      return answer(response, 400, `not a batch of records: ${issue ? `${issue.path.join('.')}: ${issue.message}` : ''}`);
    }
    const { worker, stream, sequence, through, records } = batch.data;
    const key = `${worker}/${stream}/${sequence}`;
    if (!seen.has(key)) {
      seen.add(key);
      received.set(worker, (received.get(worker) ?? 0) + records.length);
      for (const record of records) {
        note(worker, record);
        options.recorder.record(record as unknown as HistoryRecord);
      }
      if (through !== undefined && options.shipped) {
        const mark = marks.take(worker, stream, sequence, through);
        if (mark !== undefined) options.shipped(worker, mark);
      }
    } else {
      repeats++;
    }
    answer(response, 204);
  };

  const server = createServer((request, response) => {
    if (request.url !== '/records') return answer(response, 404, 'POST batches to /records');
    if (request.method !== 'POST' && request.method !== 'GET') return answer(response, 405, 'POST batches, GET the run\'s clock');
    const authorization = Buffer.from(request.headers.authorization ?? '');
    if (authorization.length !== expected.length || !timingSafeEqual(authorization, expected)) {
      request.resume();
      return answer(response, 401, 'wrong or missing collector token');
    }
    if (request.method === 'GET') {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(JSON.stringify({ startedAt: startedAt ?? null, fingerprint: options.fingerprint ?? null, workers: options.workers ?? null }));
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) {
      request.resume();
      return answer(response, 413, `batches are at most ${maxBodyBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > maxBodyBytes) return answer(response, 413, `batches are at most ${maxBodyBytes} bytes`);
      handle(response, Buffer.concat(chunks, size));
    });
    request.on('error', () => response.destroy());
  });
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = options.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}/records`;
  let closing: Promise<void> | undefined;
  return {
    url,
    token,
    received: () => received,
    shares: () => shares,
    tallies: () => tallies,
    hellos: () => hellos,
    start: (at) => void (startedAt ??= at),
    refused: () => refused,
    repeats: () => repeats,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Batches that came ahead of an earlier one still in flight are kept (their `through`) at most this many per stream. */
const MOST_AHEAD = 1_000;

/**
 * How far each worker has shipped: per stream, the `through` of the last batch taken with every earlier batch
 * number taken too; per worker, the least of its streams'. A batch given up leaves a gap no later batch closes:
 * once MOST_AHEAD batches wait behind it, the gap is skipped (its records are lost, which the tallies report).
 */
class ShippedMarks {
  private readonly streams = new Map<number, Map<number, { next: number; mark: number; ahead: Map<number, number> }>>();

  /** Takes batch `sequence` of a worker's stream; returns the worker's new mark when it moved. */
  take(worker: number, stream: number, sequence: number, through: number): number | undefined {
    let byStream = this.streams.get(worker);
    if (!byStream) this.streams.set(worker, (byStream = new Map()));
    let state = byStream.get(stream);
    if (!state) byStream.set(stream, (state = { next: 0, mark: -Infinity, ahead: new Map() }));
    if (sequence < state.next) return undefined;
    state.ahead.set(sequence, through);
    if (state.ahead.size > MOST_AHEAD) state.next = Math.min(...state.ahead.keys());
    const before = state.mark;
    for (let taken = state.ahead.get(state.next); taken !== undefined; taken = state.ahead.get(state.next)) {
      state.ahead.delete(state.next++);
      if (taken > state.mark) state.mark = taken;
    }
    if (state.mark === before) return undefined;
    let least = Infinity;
    for (const { mark } of byStream.values()) if (mark < least) least = mark;
    return least;
  }
}
