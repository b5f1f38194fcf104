/**
 * The adapter contract: how Stampede talks to a backend it has never seen. An adapter maps the backend's own
 * shapes into what Stampede observes; it never judges. Stampede calls every hook, checks what it returned, and
 * records the observation itself (what came back, when, through which hook), so an adapter cannot bypass or
 * soften the oracle: a hook that throws or returns the wrong shape is an error observation naming the adapter.
 *
 * Everything here is types only, so `stampede/adapter` can be imported by a user's adapter file with no runtime
 * cost beyond `defineAdapter` and the small helpers in `define.ts`.
 */

/** A user account that exists on the backend (from the world file, or seeded by the adapter's `world.seed`). */
export interface WorldUser {
  /** How the world names this user: the owner and share lists refer to it, and so must the backend's answers. */
  readonly id: string;
  /** What the user logs in with (an email, a user name). */
  readonly login: string;
  /** The user's password or API secret. Never logged: Stampede redacts it wherever it could appear. */
  readonly secret: string;
}

/** A camera (device) that exists on the backend. */
export interface WorldCamera {
  /** The device id, as the backend names it in event lists and camera lists. */
  readonly id: string;
  /** The device credential. Never logged. */
  readonly secret: string;
  /** The owning user's `id` when the run starts. */
  readonly owner: string;
  /** Users (`id`s) the camera is shared with when the run starts. */
  readonly shares: readonly string[];
}

/** What every hook is given. */
export interface AdapterContext {
  /**
   * Each endpoint the adapter declared, as the URL to use. During a run this is the Toxiproxy proxy in front of
   * the real endpoint (same scheme and path, host:port swapped), so an injected outage cuts the adapter's traffic
   * exactly as it cuts the reference protocol's. World hooks get the real endpoints: faults never stop the run from
   * changing who owns what.
   */
  readonly endpoints: Readonly<Record<string, string>>;
  /** Aborts when the run stops: pass it to every request and connect so nothing outlives the run. */
  readonly signal: AbortSignal;
  /** How long one call may take, in ms; a hook should give up after it (Stampede does too). */
  readonly timeoutMs: number;
  /** Values given with `--adapter-option KEY=VALUE` (or the environment), for things like an admin token. */
  readonly options: Readonly<Record<string, string>>;
}

/** An event as a user was shown it, in Stampede's terms. */
export interface ShownItem {
  /** The event's id: the one Stampede's camera sent it with (see `DeviceEvent.eventId`). */
  eventId: string;
  /** The camera the backend says the event came from. */
  cameraId: string;
  /** Event kind, if the backend shows one. */
  kind?: string;
  /** Event time (ms since the epoch), if the backend shows one. */
  ts?: number;
}

/** One page of a user's event list. */
export interface EventPage {
  events: ShownItem[];
  /** Where the next page starts, in the backend's own paging (a cursor, an offset, a timestamp); absent at the end. */
  next?: string;
}

/** A camera in a user's camera list. */
export interface CameraItem {
  cameraId: string;
  role: 'owner' | 'shared';
}

/**
 * A thumbnail fetch's outcome. `status` is HTTP-like whatever the transport: 200 with the bytes the backend served,
 * or the refusal (401 logged out, 403 forbidden, 404 not found).
 */
export interface ThumbnailAnswer {
  status: number;
  bytes?: Uint8Array;
}

/** Where a push channel hands what it receives. */
export interface PushSink {
  /** One pushed event. */
  item(item: ShownItem): void;
  /**
   * The channel ended (dropped, closed by the backend); Stampede reopens it after a backoff. `code` is the
   * transport's close code, if it has one (recorded as is).
   */
  closed(reason?: string, options?: { loggedOut?: boolean; code?: number }): void;
  /**
   * The backend pushed something the adapter cannot read (not JSON, the wrong shape): recorded as the backend's
   * error, not the adapter's; the channel stays open. `message` says what came (a short sample, never a secret).
   */
  unreadable(message: string): void;
}

/** An open push channel. */
export interface PushChannel {
  close(): void | Promise<void>;
}

/** A plain HTTP request, relative to one of the adapter's endpoints. */
export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query, e.g. `/api/v2/feed?page=3`. */
  path: string;
  /** Which declared endpoint; default: the first. */
  endpoint?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What came back for an `HttpCall`. */
export interface HttpAnswer {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Uint8Array;
}

/** A user call described as plain HTTP: Stampede (or autocannon) makes the request, the adapter reads the answer. */
export interface HttpUserCall<Args extends unknown[], Result> {
  request(...args: Args): HttpCall;
  /** Maps the answer; throw `refused(status)` / `loggedOut()` for a refusal. */
  parse(answer: HttpAnswer): Result;
}

/**
 * A user's reads as plain HTTP, for adapters whose app API is HTTP. The `refresh-storm` scenario drives these
 * with autocannon, one connection per user. They must describe the same calls as the `events`, `cameras` and
 * `thumbnail` hooks (an adapter may build those hooks from these).
 */
export interface HttpUserCalls<Session> {
  events: HttpUserCall<[session: Session, page: { cursor?: string; limit: number }], EventPage>;
  cameras: HttpUserCall<[session: Session], CameraItem[]>;
  thumbnail: HttpUserCall<[session: Session, item: { eventId: string; cameraId: string }], ThumbnailAnswer>;
}

/** What an app user does. The session is whatever `login` returned (a token, a cookie jar, a client). */
export interface UserHooks<Session = unknown> {
  /** Logs in; throw `loggedOut()` (or `refused(status)`) when the backend refuses the credentials. */
  login(ctx: AdapterContext, user: WorldUser): Promise<Session>;
  /** One page of the user's events, newest or oldest first as the backend pages them. */
  events(ctx: AdapterContext, session: Session, page: { cursor?: string; limit: number }): Promise<EventPage>;
  /** The user's cameras with the user's role on each. */
  cameras(ctx: AdapterContext, session: Session): Promise<CameraItem[]>;
  /** The bytes of an event's thumbnail, or the refusal. */
  thumbnail(ctx: AdapterContext, session: Session, item: { eventId: string; cameraId: string }): Promise<ThumbnailAnswer>;
  /**
   * A curious user asking for someone else's event (IDOR), which the backend must refuse. Defaults to `thumbnail`;
   * give it when the backend has a more direct way to ask for an item by id.
   */
  probe?(ctx: AdapterContext, session: Session, item: { eventId: string; cameraId: string }): Promise<ThumbnailAnswer>;
  /** Opens the user's push channel (WebSocket, Server-Sent Events, long polling, an MQTT subscription...). */
  push?(ctx: AdapterContext, session: Session, sink: PushSink): Promise<PushChannel>;
  /** The reads as plain HTTP, when the app API is HTTP: what lets `refresh-storm` drive them with autocannon. */
  http?: HttpUserCalls<Session>;
}

/** One event a camera sends: Stampede makes the thumbnail bytes, with provenance embedded. */
export interface DeviceEvent {
  eventId: string;
  cameraId: string;
  kind: string;
  /** When the camera saw it, ms since the epoch. */
  ts: number;
  /** The thumbnail's exact bytes (a JPEG carrying Stampede's provenance). Send them unchanged. */
  thumbnail: Uint8Array;
}

/** Where a device connection reports what the backend said. */
export interface DeviceLink {
  /** The backend acknowledged (stored) this event. */
  acked(eventId: string): void;
  /**
   * The connection dropped; the camera's reconnect policy applies. `code` is a close code, if there is one;
   * `reason` is recorded as the camera's error (give it when the transport failed, leave it out for a plain close).
   */
  dropped(reason?: string, code?: number): void;
  /** The backend sent something the adapter cannot read: recorded as the backend's error; the connection stays. */
  unreadable(message: string): void;
}

/** A camera's live connection. */
export interface DeviceConnection {
  /** Sends one event; resolve once it is handed to the transport (the ack comes through `DeviceLink.acked`). */
  send(event: DeviceEvent): void | Promise<void>;
  /** Closes the connection; no `dropped` needs to follow. */
  close(): void | Promise<void>;
}

/** What a camera does. */
export interface DeviceHooks {
  /**
   * Connects the camera with its credentials; resolves once the backend accepted it (welcomed, CONNACK), rejects
   * when it did not (throw `refused(401)` for bad credentials).
   */
  connect(ctx: AdapterContext, camera: WorldCamera, link: DeviceLink): Promise<DeviceConnection>;
}

/** The whole world as the adapter may seed it. */
export interface WorldSeedView {
  readonly runId: string;
  readonly users: readonly WorldUser[];
  readonly cameras: readonly WorldCamera[];
}

/** World control: optional, because nobody lets a test rewrite staging. */
export interface WorldHooks {
  /** Checks the backend is up before any load (throw with a clear message when it is not). */
  health?(ctx: AdapterContext): Promise<void>;
  /** Makes the backend hold exactly this world. Without it the world must come from `--world`. */
  seed?(ctx: AdapterContext, world: WorldSeedView): Promise<void>;
  /** Ownership changes; a run schedules only the kinds the adapter can apply. */
  transfer?(ctx: AdapterContext, cameraId: string, toUserId: string): Promise<void>;
  share?(ctx: AdapterContext, cameraId: string, userId: string): Promise<void>;
  revoke?(ctx: AdapterContext, cameraId: string, userId: string): Promise<void>;
}

/** A whole adapter, as `defineAdapter` takes it. */
export interface Adapter<Session = unknown> {
  /** Names the adapter in errors and reports: letters, digits, '-' and '_'. */
  name: string;
  /**
   * The endpoints the adapter talks to, by name (e.g. `['api', 'broker']`). Their URLs come from
   * `--target NAME=URL` (a bare `--target URL` fills the first one) or from an embedded cloud; Stampede puts a
   * Toxiproxy proxy in front of each.
   */
  endpoints: readonly string[];
  users: UserHooks<Session>;
  devices: DeviceHooks;
  world?: WorldHooks;
}
