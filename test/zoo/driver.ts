/**
 * A small driver for the leak-zoo tests: a world of users who each own a few cameras, cameras that connect and
 * send events whose thumbnail bytes name their camera, users who list, stream and tap, and a judge that applies
 * the access rule to everything they were shown. Every loop is bounded; `stop()` closes every socket and the cloud.
 *
 * "No leak" is only worth something when the users were shown things: the zoo counts what it observed (and every
 * answer that was not a 200), and a control states the least it must have seen with `expectObserved`.
 */
import type { WorldSeed } from '../../src/protocol/schema.ts';
import { type CloudOptions } from '../../simulators/cloud/index.ts';
import { Socket, startTestCloud, world, type TestCloud } from '../helpers/cloud.ts';

/** Something a user was shown that the access rule forbids. */
export interface Leak {
  userId: string;
  surface: 'list' | 'cameras' | 'thumbnail' | 'push';
  cameraId: string;
  eventId?: string;
}

interface ShownEvent {
  eventId: string;
  cameraId: string;
}

/** What the users were shown, whether or not it leaked. */
export interface Observed {
  /** Entries of GET /v1/events answers. */
  listed: number;
  /** Entries of GET /v1/cameras answers. */
  cameras: number;
  /** Events pushed on streams, counted when their leaks are judged. */
  pushed: number;
  /** Answers that were not a 200, e.g. `401 GET /v1/events?limit=500`: they showed nothing. */
  refused: string[];
}

export class Zoo {
  readonly tokens = new Map<string, string>();
  readonly cameras = new Map<string, Socket>();
  /** eventId -> camera that sent it. */
  readonly sent = new Map<string, string>();
  readonly observed: Observed = { listed: 0, cameras: 0, pushed: 0, refused: [] };
  private readonly access = new Map<string, Set<string>>();
  private readonly sockets: Socket[] = [];
  private eventCount = 0;

  private constructor(
    readonly t: TestCloud,
    readonly seed: WorldSeed,
  ) {
    for (const camera of seed.cameras) this.grant(camera.ownerId, camera.cameraId);
    for (const share of seed.shares) this.grant(share.userId, share.cameraId);
  }

  /** A cloud with `bug`, seeded with `users` users owning `camerasEach` cameras each (user u<i>, cameras c<i>-<j>). */
  static async start(bug: string, users: number, camerasEach: number, options: Partial<CloudOptions> = {}, shares: [string, string][] = []): Promise<Zoo> {
    const userIds = Array.from({ length: users }, (_, i) => `u${i}`);
    const cameras = userIds.flatMap((userId, i) => Array.from({ length: camerasEach }, (_, j): [string, string] => [`c${i}-${j}`, userId]));
    const seed = world(userIds, cameras, shares);
    const t = await startTestCloud({ bug, cacheTimeoutMs: 250, ...options });
    const zoo = new Zoo(t, seed);
    try {
      await t.api.seed(seed);
      for (const userId of userIds) zoo.tokens.set(userId, await t.api.login(userId));
    } catch (error) {
      await zoo.stop();
      throw error;
    }
    return zoo;
  }

  get userIds(): string[] {
    return [...this.tokens.keys()];
  }

  get cameraIds(): string[] {
    return this.seed.cameras.map((camera) => camera.cameraId);
  }

  /** The access rule in a world whose access changes the test records with `revoked`/`transferred`. */
  mayAccess(userId: string, cameraId: string): boolean {
    return this.access.get(userId)?.has(cameraId) ?? false;
  }

  revoked(cameraId: string, userId: string): void {
    this.access.get(userId)?.delete(cameraId);
  }

  transferred(cameraId: string, from: string, to: string): void {
    this.access.get(from)?.delete(cameraId);
    this.grant(to, cameraId);
  }

  /**
   * Connects the cameras: all hellos at once (a reconnect storm) or one after another. A refused hello (4401)
   * is tried again, as real cameras do, at most `attempts` times.
   */
  async connect(cameraIds: string[], together: boolean, attempts = 20): Promise<void> {
    const one = async (cameraId: string): Promise<void> => {
      for (let attempt = 0; attempt < attempts; attempt++) {
        const socket = this.socket(`${this.t.cloud.url.replace('http', 'ws')}/v1/device`);
        await socket.opened;
        socket.send({ type: 'hello', cameraId, secret: `secret-${cameraId}` });
        const answer = await Promise.race([socket.next(10_000), socket.closed.then((code) => ({ type: 'closed', code }))]);
        if (answer.type === 'welcome') {
          this.cameras.set(cameraId, socket);
          return;
        }
        socket.close();
      }
      throw new Error(`camera ${cameraId} was refused ${attempts} times`);
    };
    if (together) await Promise.all(cameraIds.map(one));
    else for (const cameraId of cameraIds) await one(cameraId);
  }

  /** Each connected camera sends one event and waits for its ack: all at once, or one camera after another. */
  async emit(cameraIds: string[], together: boolean): Promise<string[]> {
    const one = async (cameraId: string): Promise<string> => {
      const socket = this.cameras.get(cameraId);
      if (!socket) throw new Error(`camera ${cameraId} is not connected`);
      const eventId = `e${++this.eventCount}-${cameraId}`;
      this.sent.set(eventId, cameraId);
      socket.send({ type: 'event', eventId, kind: 'motion', ts: Date.now(), thumbnail: thumbnailOf(eventId).toString('base64') });
      const ack = await socket.next(10_000);
      if (ack.type !== 'ack' || ack.eventId !== eventId) throw new Error(`expected the ack of ${eventId}, got ${JSON.stringify(ack)}`);
      return eventId;
    };
    if (together) return Promise.all(cameraIds.map(one));
    const ids: string[] = [];
    for (const cameraId of cameraIds) ids.push(await one(cameraId));
    return ids;
  }

  /** The leaks in one user's GET /v1/events answer (`path` with query); an unparseable answer shows nothing. */
  async listLeaks(userId: string, path = '/v1/events?limit=500'): Promise<Leak[]> {
    const answer = await this.t.api.call('GET', path, { token: this.token(userId) });
    const events = (answer.body as { events?: ShownEvent[] } | undefined)?.events;
    if (answer.status !== 200 || !Array.isArray(events)) return this.refused(answer.status, `GET ${path}`);
    this.observed.listed += events.length;
    return events
      .filter((event) => !this.mayAccess(userId, this.trueCamera(event)))
      .map((event) => ({ userId, surface: 'list', cameraId: this.trueCamera(event), eventId: event.eventId }));
  }

  /** The leaks in one user's GET /v1/cameras answer. */
  async cameraLeaks(userId: string): Promise<Leak[]> {
    const answer = await this.t.api.call('GET', '/v1/cameras', { token: this.token(userId) });
    const cameras = (answer.body as { cameras?: { cameraId: string }[] } | undefined)?.cameras;
    if (answer.status !== 200 || !Array.isArray(cameras)) return this.refused(answer.status, 'GET /v1/cameras');
    this.observed.cameras += cameras.length;
    return cameras.filter((camera) => !this.mayAccess(userId, camera.cameraId)).map((camera) => ({ userId, surface: 'cameras', cameraId: camera.cameraId }));
  }

  /** A tap on an event's thumbnail: a leak when bytes come back of a camera the user may not see. */
  async thumbnailLeak(userId: string, eventId: string): Promise<Leak | undefined> {
    const answer = await this.t.api.call('GET', `/v1/events/${eventId}/thumbnail`, { token: this.token(userId) });
    if (answer.status !== 200) return undefined;
    const cameraId = cameraOfThumbnail(answer.bytes);
    return cameraId !== undefined && this.mayAccess(userId, cameraId) ? undefined : { userId, surface: 'thumbnail', cameraId: cameraId ?? 'unknown', eventId };
  }

  /** What a user opening the app sees: the camera list, an event page, and a tap on each of its first events. */
  async userLeaks(userId: string, path: string): Promise<Leak[]> {
    const leaks = [...(await this.cameraLeaks(userId)), ...(await this.listLeaks(userId, path))];
    for (const leak of leaks.filter((found) => found.surface === 'list').slice(0, 3)) {
      const tapped = await this.thumbnailLeak(userId, leak.eventId!);
      if (tapped) leaks.push(tapped);
    }
    return leaks;
  }

  /** Drops every camera's connection (an outage), so the next `connect` is a reconnect. */
  disconnectCameras(): void {
    for (const socket of this.cameras.values()) socket.close();
    this.cameras.clear();
  }

  /** A push stream of `userId`, open once the server has had a moment to subscribe it. */
  async stream(userId: string): Promise<Socket> {
    const socket = this.socket(`${this.t.cloud.url.replace('http', 'ws')}/v1/stream`, { authorization: `Bearer ${this.token(userId)}` });
    await socket.opened;
    return socket;
  }

  /** Resolves once `eventId` was pushed on `socket` (left queued for `pushLeaks`); throws after `timeoutMs`. */
  async pushArrived(socket: Socket, eventId: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const arrived = () => (socket.pending() as { event?: ShownEvent }[]).some((frame) => frame.event?.eventId === eventId);
    while (!arrived()) {
      if (Date.now() > deadline) throw new Error(`the push of ${eventId} did not arrive within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  /** The leaks among the events pushed so far on `socket` of `userId`. */
  pushLeaks(userId: string, socket: Socket): Leak[] {
    const pushed = (socket.pending() as { type: string; event?: ShownEvent }[]).filter((frame) => frame.type === 'event' && frame.event);
    this.observed.pushed += pushed.length;
    return pushed
      .filter((frame) => !this.mayAccess(userId, this.trueCamera(frame.event!)))
      .map((frame) => ({ userId, surface: 'push', cameraId: this.trueCamera(frame.event!), eventId: frame.event!.eventId }));
  }

  /** The camera that really sent an event, whatever its label says (a mixed-up target labels it wrongly). */
  private trueCamera(event: ShownEvent): string {
    return this.sent.get(event.eventId) ?? event.cameraId;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.close();
    await this.t.cloud.stop();
  }

  private token(userId: string): string {
    const token = this.tokens.get(userId);
    if (token === undefined) throw new Error(`user ${userId} is not logged in`);
    return token;
  }

  /** A user shown nothing: kept, so a control can tell "no leak" from "nothing seen". */
  private refused(status: number, call: string): Leak[] {
    this.observed.refused.push(`${status} ${call}`);
    return [];
  }

  private socket(url: string, headers: Record<string, string> = {}): Socket {
    const socket = new Socket(url, headers);
    this.sockets.push(socket);
    return socket;
  }

  private grant(userId: string, cameraId: string): void {
    const cameras = this.access.get(userId);
    if (cameras) cameras.add(cameraId);
    else this.access.set(userId, new Set([cameraId]));
  }
}

/** Thumbnail bytes name the camera and event they came from, so a wrong one is recognised by its bytes. */
export function thumbnailOf(eventId: string): Buffer {
  return Buffer.from(`thumbnail:${eventId}`);
}

function cameraOfThumbnail(bytes: Buffer): string | undefined {
  const match = /^thumbnail:e\d+-(.+)$/.exec(bytes.toString());
  return match?.[1];
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Throws unless the zoo's users were shown at least `least` of each surface: a "no leak" control that observed
 * nothing (every answer refused, nothing pushed) proves nothing and must fail.
 */
export function expectObserved(zoo: Zoo, least: Partial<Record<'listed' | 'cameras' | 'pushed', number>>): void {
  const short = Object.entries(least).filter(([surface, count]) => zoo.observed[surface as keyof typeof least] < count!);
  if (short.length === 0) return;
  const { listed, cameras, pushed, refused } = zoo.observed;
  const wanted = short.map(([surface, count]) => `${surface} >= ${count}`).join(', ');
  const refusals = refused.length > 0 ? `; ${refused.length} answers refused, first: ${refused.slice(0, 3).join(', ')}` : '';
  throw new Error(`the control observed too little to mean anything: wanted ${wanted}, saw listed ${listed}, cameras ${cameras}, pushed ${pushed}${refusals}`);
}

/** Counts leaks by surface, for readable assertion failures. */
export function bySurface(leaks: readonly Leak[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const leak of leaks) counts[leak.surface] = (counts[leak.surface] ?? 0) + 1;
  return counts;
}
