/**
 * The cloud's pluggable parts. Each is a place where a real camera cloud once leaked one user's data to another;
 * the correct implementation is the default (defaults.ts), and a bug of the leak zoo (bugs/) swaps one or more
 * of them for a faithful model of the incident, without touching the rest of the cloud.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WebSocket } from 'ws';
import type { StoredEvent } from './event-log.ts';
import type { CameraRecord, SystemOfRecord } from './store.ts';

/**
 * The cache client (chatgpt-2023: a client whose request/reply pairing breaks on a cancelled request).
 * Used for session token -> user, camera -> access record and user -> recent events. `get` and `set` reject on
 * any error or timeout; callers then fall back to the system of record.
 */
export interface KeyValueCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Connects; resolves once usable or once it gave up for now (the cloud serves without it meanwhile). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Finds a camera's access record, for device hello and for every device event (wyze-2024). */
export type CameraLookup = (cameraId: string) => Promise<CameraRecord | undefined>;

/** A complete HTTP answer, built before anything is written, so a middleware can keep or replay it. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** An authenticated GET as the response middleware sees it: the raw path with query, and the headers. */
export interface GetRequest {
  url: string;
  headers: IncomingHttpHeaders;
}

/** Middleware around authenticated GET answers: camera list, event list, thumbnails (steam-2015). */
export interface ResponseCache {
  /** `produce` authenticates and answers the request; the default always calls it. */
  serve(request: GetRequest, produce: () => Promise<Reply>): Promise<Reply>;
}

/** How a handler knows whom the request it is serving acts for (github-2021). */
export interface UserContext {
  /** Runs `handle` as a request of `userId`; `current()` inside it, across awaits, names that user. */
  bind<T>(userId: string, handle: () => Promise<T>): Promise<T>;
  current(): string;
}

/** The live push subscriptions of `/v1/stream` (stale-acl). */
export interface PushHub {
  subscribe(userId: string, socket: WebSocket): void;
  unsubscribe(userId: string, socket: WebSocket): void;
  /** Sends `frame` (the serialized stream message of `event`) to every socket that may see the event. */
  publish(event: StoredEvent, frame: string): void;
  /** Every subscribed socket, for shutdown and world replacement. */
  sockets(): Iterable<WebSocket>;
}

/** What happens to caches when a camera's access changes (stale-acl). */
export interface AccessInvalidation {
  /** Called right after a transfer, share or revoke of `cameraId` changed the access of `users`. */
  accessChanged(cameraId: string, users: readonly string[]): void;
}

/** What every part may use. */
export interface PartEnv {
  store: SystemOfRecord;
  /** undefined: no cache server configured. */
  redisUrl: string | undefined;
  /** Every cache key starts with it; unique per cloud instance, since many clouds share one Redis. */
  keyPrefix: string;
  /** How long a cache command may take before the caller gives up on it (the cloud's cache timeout). */
  cacheTimeoutMs: number;
  log: (line: string) => void;
}

/** The parts built after the cache client also get it. */
export interface CachedPartEnv extends PartEnv {
  cache: KeyValueCache;
}

export interface CloudParts {
  cache: KeyValueCache;
  cameraLookup: CameraLookup;
  responses: ResponseCache;
  userContext: UserContext;
  pushHub: PushHub;
  invalidation: AccessInvalidation;
}

/** Replaces one part; gets the correct implementation to wrap or ignore. */
export type PartOverride<K extends keyof CloudParts, Env> = (env: Env, correct: CloudParts[K]) => CloudParts[K];

/** One leak-zoo bug: a name (the `--bug` value), one line about the incident, and the parts it replaces. */
export interface CloudBug {
  name: string;
  summary: string;
  cache?: PartOverride<'cache', PartEnv>;
  cameraLookup?: PartOverride<'cameraLookup', CachedPartEnv>;
  responses?: PartOverride<'responses', CachedPartEnv>;
  userContext?: PartOverride<'userContext', CachedPartEnv>;
  pushHub?: PartOverride<'pushHub', CachedPartEnv>;
  invalidation?: PartOverride<'invalidation', CachedPartEnv>;
}
