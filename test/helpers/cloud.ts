/**
 * Helpers for tests that need the reference cloud: start one in-process, spawn the real CLI, talk to it over
 * HTTP and WebSocket. Every start has a stop the test calls in afterAll/afterEach.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { WorldSeed } from '../../src/protocol/schema.ts';
import { startCloud, type CloudOptions, type RunningCloud } from '../../simulators/cloud/index.ts';

/** The Redis the global setup ensured (REDIS_URL), else the usual local one. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const BIN = fileURLToPath(new URL('../../bin/stampede', import.meta.url));

export interface TestCloud {
  cloud: RunningCloud;
  adminToken: string;
  api: CloudApi;
}

/** A cloud in this process with a fresh admin token; Redis at 127.0.0.1:6379 unless `redisUrl` says otherwise. */
export async function startTestCloud(options: Partial<CloudOptions> = {}): Promise<TestCloud> {
  const adminToken = randomBytes(12).toString('hex');
  const cloud = await startCloud({ redisUrl: REDIS_URL, ...options, adminToken });
  return { cloud, adminToken, api: new CloudApi(cloud.url, adminToken) };
}

export interface Answer {
  status: number;
  body: unknown;
  bytes: Buffer;
  headers: Headers;
}

/** Protocol calls by hand, answers unparsed beyond JSON, so tests can look at errors too. */
export class CloudApi {
  constructor(
    readonly url: string,
    private readonly adminToken: string,
  ) {}

  async call(method: string, path: string, options: { token?: string; body?: unknown; raw?: string | Buffer } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${this.url}${path}`, { method, headers, body, signal: AbortSignal.timeout(10_000) });
    const bytes = Buffer.from(await response.arrayBuffer());
    let parsed: unknown;
    try {
      parsed = bytes.length > 0 && response.headers.get('content-type') === 'application/json' ? JSON.parse(bytes.toString()) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, bytes, headers: response.headers };
  }

  admin(method: string, path: string, body?: unknown): Promise<Answer> {
    return this.call(method, path, { token: this.adminToken, body });
  }

  async seed(world: WorldSeed): Promise<void> {
    const answer = await this.admin('PUT', '/v1/admin/world', world);
    if (answer.status !== 204) throw new Error(`seeding failed: ${answer.status} ${answer.bytes.toString()}`);
  }

  /** Logs in as `email` (password `pw-<email>` by the convention of `world()`); returns the token. */
  async login(email: string, password = `pw-${email}`): Promise<string> {
    const answer = await this.call('POST', '/v1/login', { body: { email, password } });
    if (answer.status !== 200) throw new Error(`login of ${email} failed: ${answer.status}`);
    return (answer.body as { token: string }).token;
  }

  /** All visible events, following `next` until a page comes back empty. */
  async allEvents(token: string, limit = 500): Promise<string[]> {
    const ids: string[] = [];
    let since = '';
    for (let page = 0; page < 1_000; page++) {
      const answer = await this.call('GET', `/v1/events?limit=${limit}${since ? `&since=${since}` : ''}`, { token });
      if (answer.status !== 200) throw new Error(`events failed: ${answer.status}`);
      const body = answer.body as { events: { eventId: string }[]; next: string };
      if (body.events.length === 0) return ids;
      ids.push(...body.events.map((event) => event.eventId));
      since = body.next;
    }
    throw new Error('more than 1000 pages');
  }
}

/** A small world: users by name (email = name, password = pw-<name>), cameras `[cameraId, owner]`, shares `[cameraId, user]`. */
export function world(users: string[], cameras: [string, string][], shares: [string, string][] = []): WorldSeed {
  return {
    users: users.map((userId) => ({ userId, email: userId, password: `pw-${userId}` })),
    cameras: cameras.map(([cameraId, ownerId]) => ({ cameraId, ownerId, secret: `secret-${cameraId}` })),
    shares: shares.map(([cameraId, userId]) => ({ cameraId, userId })),
  };
}

/** A WebSocket whose messages queue up until a test takes them. */
export class Socket {
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
  private readonly queue: unknown[] = [];
  private waiter: (() => void) | undefined;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers, perMessageDeflate: false });
    this.ws.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
    this.ws.on('message', (data) => {
      this.queue.push(JSON.parse(data.toString()));
      this.waiter?.();
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next message, or an error after `timeoutMs`. */
  async next(timeoutMs = 5_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no message arrived in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.queue.shift() as Record<string, unknown>;
  }

  /** Messages received so far and not taken. */
  pending(): unknown[] {
    return [...this.queue];
  }

  close(): void {
    this.ws.terminate();
  }
}

/** A camera connected and welcomed. */
export async function connectCamera(cloudUrl: string, cameraId: string, secret = `secret-${cameraId}`): Promise<Socket> {
  const camera = new Socket(`${cloudUrl.replace('http', 'ws')}/v1/device`);
  await camera.opened;
  camera.send({ type: 'hello', cameraId, secret });
  const welcome = await camera.next();
  if (welcome.type !== 'welcome') throw new Error(`expected welcome, got ${JSON.stringify(welcome)}`);
  return camera;
}

/** Sends one event and waits for its ack. */
export async function sendEvent(camera: Socket, eventId: string, thumbnail: Buffer = Buffer.from(eventId)): Promise<void> {
  camera.send({ type: 'event', eventId, kind: 'motion', ts: Date.now(), thumbnail: thumbnail.toString('base64') });
  const ack = await camera.next();
  if (ack.type !== 'ack' || ack.eventId !== eventId) throw new Error(`expected ack of ${eventId}, got ${JSON.stringify(ack)}`);
}

export function openStream(cloudUrl: string, token: string, via: 'header' | 'query' = 'header'): Socket {
  const base = `${cloudUrl.replace('http', 'ws')}/v1/stream`;
  return via === 'header' ? new Socket(base, { authorization: `Bearer ${token}` }) : new Socket(`${base}?token=${encodeURIComponent(token)}`);
}

/** The real CLI, `stampede target`, running as a child process. */
export interface CloudProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
  stderr(): string;
}

/** Spawns `bin/stampede target --port 0 <args>` and waits for its `listening <port>` line (at most 20 s). */
export async function spawnCloudCli(args: string[], env: Record<string, string> = {}): Promise<CloudProcess> {
  const child = spawn(process.execPath, [BIN, 'target', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    exited.then((code) => `exited ${code}`),
    new Promise<string>((resolve) => setTimeout(() => resolve('timed out'), 20_000).unref()),
  ]);
  const match = /^listening (\d+)$/.exec(first);
  if (!match) {
    child.kill('SIGKILL');
    throw new Error(`stampede target did not start (${first}): ${stderr}`);
  }
  const port = Number(match[1]);
  return { child, port, url: `http://127.0.0.1:${port}`, exited, stderr: () => stderr };
}

/** Runs `bin/stampede <args>` to completion (at most 20 s) for its exit code and output. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
