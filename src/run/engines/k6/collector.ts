/**
 * The observation collector: where k6 VUs send their history records in batches, over plain HTTP so the same
 * channel serves VUs on this machine and in a cluster. Each record goes to the run's Recorder, so the one oracle
 * judges k6's observations exactly as it judges the Node fleet's. Bounded (body size, records per batch),
 * authenticated by a per-run random token, loopback-only unless asked otherwise, and it counts what each k6
 * instance delivered so the engine can tell a lossless run from one that lost records in transit.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { keepSecret } from '../../../protocol/redact.ts';
import type { HistoryRecord, Recorder } from '../../../world/history.ts';

/** A running collector. */
export interface Collector {
  /** Where VUs POST their batches. */
  readonly url: string;
  /** The bearer token VUs must send; never logged. */
  readonly token: string;
  /** Records accepted from each k6 instance so far. */
  received(): ReadonlyMap<number, number>;
  /** The cameras and users each instance simulated, as their records name them: each instance's share. */
  shares(): ReadonlyMap<number, InstanceShare>;
  /** What each instance said about itself at its end (remote pods post it; local instances write a summary file). */
  tallies(): ReadonlyMap<number, ReportedTally>;
  /** Batches refused (bad token, too big, malformed), for diagnostics. */
  refused(): number;
  /** Batches that came again under a number already taken (retries whose first answer was lost), dropped. */
  repeats(): number;
  close(): Promise<void>;
}

export interface InstanceShare {
  cameras: Set<string>;
  users: Set<string>;
}

/** An instance's own account at its end: the records its VUs made and the plain leaks they counted. */
export interface ReportedTally {
  segment: string;
  records: number;
  batchesFailed: number;
  plainLeaks: number;
}

export interface CollectorOptions {
  recorder: Recorder;
  /** The bearer token VUs must send; random when left out, given when `stampede k6 export` already handed it out. */
  token?: string;
  /** The run's start, told to VUs that ask (GET): pods started elsewhere set their clocks by it. */
  startedAt?: number;
  /** Listen here; loopback by default, a cluster run binds an address its pods reach. */
  host?: string;
  port?: number;
  /** The URL VUs are told, when it differs from the listening address (a Service in front of it). */
  publicUrl?: string;
  maxBodyBytes?: number;
  maxRecordsPerBatch?: number;
}

const RECORD_TYPES = ['phase', 'fault', 'access', 'camera', 'sent', 'acked', 'user', 'shown', 'cameras', 'thumbnail', 'error'] as const;

/** A record as the VUs build it; its type and times are checked, the rest is the VU's own HistoryRecord. */
const Record = z.looseObject({
  type: z.enum(RECORD_TYPES),
  t: z.number().finite().optional(),
  start: z.number().finite().optional(),
});

function batchSchema(maxRecords: number) {
  return z.object({
    instance: z.number().int().min(0).max(10_000),
    vu: z.number().int().min(0),
    sequence: z.number().int().min(0),
    records: z.array(Record).max(maxRecords),
  });
}

/** Sent once per instance from k6's handleSummary, after its VUs are done. */
const Tally = z.object({
  instance: z.number().int().min(0).max(10_000),
  tally: z.object({
    segment: z.string().max(200),
    records: z.number().int().min(0),
    batchesFailed: z.number().int().min(0),
    plainLeaks: z.number().int().min(0),
  }),
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
  const shares = new Map<number, InstanceShare>();
  const tallies = new Map<number, ReportedTally>();
  let refused = 0;
  let repeats = 0;

  const note = (instance: number, record: z.infer<typeof Record>): void => {
    if (record.type !== 'camera' && record.type !== 'user') return;
    let share = shares.get(instance);
    if (!share) shares.set(instance, (share = { cameras: new Set(), users: new Set() }));
    if (record.type === 'camera' && typeof record.cameraId === 'string') share.cameras.add(record.cameraId);
    if (record.type === 'user' && typeof record.userId === 'string') share.users.add(record.userId);
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
      tallies.set(tally.data.instance, tally.data.tally);
      return answer(response, 204);
    }
    const batch = Batch.safeParse(parsed);
    if (!batch.success) {
      const issue = batch.error.issues[0];
      return answer(response, 400, `not a batch of records: ${issue ? `${issue.path.join('.')}: ${issue.message}` : ''}`);
    }
    const { instance, vu, sequence, records } = batch.data;
    const key = `${instance}/${vu}/${sequence}`;
    if (!seen.has(key)) {
      seen.add(key);
      received.set(instance, (received.get(instance) ?? 0) + records.length);
      for (const record of records) {
        note(instance, record);
        options.recorder.record(record as unknown as HistoryRecord);
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
      return response.end(JSON.stringify({ startedAt: options.startedAt ?? null }));
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
