/**
 * One app user of the refresh storm, as autocannon requests: its event list, its camera list and a thumbnail (a
 * tap on an event it was shown, now and then a curious user's probe of someone else's), round and round on the
 * user's one connection. Each answer goes through the adapter's `parse` and is recorded exactly as the user
 * simulator records it (user.ts), so the oracle judges the same observations whichever drove them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Client, Request } from 'autocannon';
import { camerasProblem, classifyFailure, eventPageProblem, thumbnailProblem } from '../../src/adapter/call.ts';
import type { AdapterContext, HttpCall, HttpUserCalls, ThumbnailAnswer, WorldUser } from '../../src/adapter/types.ts';
import { ANSWER_BOUNDS } from '../../src/protocol/limits.ts';
import type { Recorder } from '../../src/world/history.ts';
import { type BodyBuffer, takeBody } from './cannon-client.ts';
import type { Random } from './random.ts';
import type { ProbeTargets } from './probe-targets.ts';
import type { RecentEvent } from './recent-events.ts';
import { REMEMBERED, shownEvent, thumbnailRecord } from './user.ts';

type Kind = 'events' | 'cameras' | 'thumbnail';

/** What the refresh users share: where to record, the calls, and how a hook failure is told apart. */
export interface RefreshShared {
  recorder: Recorder;
  calls: HttpUserCalls<unknown>;
  ctx: AdapterContext;
  /** The endpoint every call goes to (autocannon holds one connection per user), and its path prefix. */
  endpoint: string;
  prefix: string;
  pageLimit: number;
  /** Every this many thumbnails, one is a probe of someone else's event (0: never). */
  probeEvery: number;
  probeTargets: ProbeTargets;
  random: Random;
  /** True once the fleet stops: answers after that are not recorded. */
  stopping(): boolean;
  /** Logs the user in again (a 401); at most one login per user at a time. */
  relogin(user: RefreshUser): void;
  error(user: RefreshUser, source: string, message: string): void;
  fault(user: RefreshUser, hook: string, message: string): void;
  counted(kind: 'pages' | 'thumbnails' | 'probes', shown?: number): void;
}

/** Which hook's failures an answer's are, under the user simulator's error sources. */
const SOURCE: Record<Kind, string> = { events: 'user.events', cameras: 'user.cameras', thumbnail: 'user.thumbnail' };

/** The most read of an answer, by call; while it is read, the largest of them (which call it answers is known at its end). */
const BOUND: Record<Kind, number> = { events: ANSWER_BOUNDS.eventPage, cameras: ANSWER_BOUNDS.cameraList, thumbnail: ANSWER_BOUNDS.thumbnail };
const READ_BOUND = Math.max(...Object.values(BOUND));

export class RefreshUser {
  cursor: string | undefined;
  relogging = false;
  /** The user's autocannon connection, once autocannon made it. */
  client: Client | undefined;
  readonly body: BodyBuffer = { chunks: [], size: 0, tooLarge: false, limit: READ_BOUND };
  private readonly shown: RecentEvent[] = [];
  private shownNext = 0;
  private thumbnails = 0;
  /** When the request on the wire went out (one at a time: the connection does not pipeline). */
  private start = 0;
  private target: RecentEvent | undefined;
  private probe = false;

  constructor(
    readonly worldUser: WorldUser,
    readonly userId: string,
    public session: unknown,
    private readonly shared: RefreshShared,
  ) {}

  /**
   * The user's round of requests, for `client.setRequests`: built with the session and cursor the user has now, and
   * built again when either changes (a new login, a page that moved the cursor). autocannon rebuilds a request
   * with a `setupRequest` before every send, which costs; only the thumbnail (a different event each time) has one.
   */
  requests(): Request[] {
    const answered = (kind: Kind) => (status: number, _body: unknown, _context: unknown, headers: IncomingHttpHeaders | undefined): void =>
      this.answered(kind, status, headers ?? {});
    return [
      this.build({}, 'events', answered('events')),
      this.build({}, 'cameras', answered('cameras')),
      // Nothing shown yet to tap (and no probe due): autocannon starts the round again, costing no request.
      { setupRequest: (request) => (this.pickThumbnail() ? this.build(request, 'thumbnail') : (undefined as unknown as Request)), onResponse: answered('thumbnail') },
    ];
  }

  /** A request is about to go out (autocannon's `request` event): the call's clock starts. */
  sending(): void {
    this.start = Date.now();
  }

  private pickThumbnail(): boolean {
    const { probeEvery, probeTargets, random } = this.shared;
    const probe = probeEvery > 0 && ++this.thumbnails % probeEvery === 0;
    this.target = probe ? probeTargets.pick(this.userId, random) : this.shown[Math.floor(random() * this.shown.length)];
    this.probe = probe;
    return this.target !== undefined;
  }

  private build(request: Request, kind: Kind, onResponse?: Request['onResponse']): Request {
    const { calls, pageLimit } = this.shared;
    let call: HttpCall;
    try {
      call = kind === 'events' ? calls.events.request(this.session, { cursor: this.cursor, limit: pageLimit })
        : kind === 'cameras' ? calls.cameras.request(this.session)
        : calls.thumbnail.request(this.session, { eventId: this.target!.eventId, cameraId: this.target!.cameraId });
    } catch (error) {
      // The adapter could not describe the request (a fault, which makes the run an error); autocannon needs one.
      this.shared.fault(this, `users.http.${kind}.request`, classifyFailure(error).message);
      call = { method: 'GET', path: '/' };
    }
    if (call.endpoint !== undefined && call.endpoint !== this.shared.endpoint) {
      this.shared.fault(this, `users.http.${kind}.request`, `names endpoint ${call.endpoint}, but the user's connection goes to ${this.shared.endpoint}: every call must use one endpoint`);
    }
    if (onResponse) request.onResponse = onResponse;
    request.method = call.method;
    request.path = this.shared.prefix + call.path;
    request.headers = { ...request.headers, ...call.headers };
    if (call.body !== undefined) request.body = call.body;
    return request;
  }

  private answered(kind: Kind, status: number, headers: IncomingHttpHeaders): void {
    const tooLarge = this.body.tooLarge || this.body.size > BOUND[kind];
    this.body.tooLarge = false;
    const body = takeBody(this.body);
    if (this.shared.stopping()) return;
    if (tooLarge) return this.shared.error(this, SOURCE[kind], `the answer to the ${kind} call is larger than ${BOUND[kind]} bytes`);
    const answer = { status, headers, body };
    const { calls } = this.shared;
    try {
      if (kind === 'events') this.page(calls.events.parse(answer));
      else if (kind === 'cameras') this.cameras(calls.cameras.parse(answer));
      else this.thumbnail(calls.thumbnail.parse(answer));
    } catch (error) {
      const failure = classifyFailure(error);
      if (kind === 'thumbnail' && failure.kind === 'refused') return this.thumbnail({ status: failure.status });
      if (failure.kind === 'fault') return this.shared.fault(this, `users.http.${kind}`, failure.message);
      if (failure.kind === 'refused' && failure.status === 401) return this.shared.relogin(this);
      this.shared.error(this, SOURCE[kind], failure.message);
    }
  }

  private page(page: ReturnType<HttpUserCalls<unknown>['events']['parse']>): void {
    const problem = eventPageProblem(page);
    if (problem) return this.shared.fault(this, 'users.http.events', problem);
    const events = page.events.map(shownEvent);
    this.shared.recorder.record({ type: 'shown', surface: 'list', start: this.start, t: Date.now(), userId: this.userId, events });
    this.shared.counted('pages', events.length);
    for (const { cameraId, eventId } of events) {
      this.shown[this.shownNext] = { cameraId, eventId };
      this.shownNext = (this.shownNext + 1) % REMEMBERED;
    }
    if (page.next === this.cursor) return;
    this.cursor = page.next;
    // Called from the answer's handler, before autocannon sends the next request: the round goes on at the camera
    // list, with the next event list request asking from the new cursor.
    this.client?.setRequests(this.requests());
  }

  private cameras(list: unknown): void {
    const problem = camerasProblem(list);
    if (problem) return this.shared.fault(this, 'users.http.cameras', problem);
    const cameras = (list as { cameraId: string; role: 'owner' | 'shared' }[]).map(({ cameraId, role }) => ({ cameraId, role }));
    this.shared.recorder.record({ type: 'cameras', start: this.start, t: Date.now(), userId: this.userId, cameras });
  }

  private thumbnail(answer: ThumbnailAnswer): void {
    const problem = thumbnailProblem(answer);
    if (problem) return this.shared.fault(this, 'users.http.thumbnail', problem);
    if (answer.status === 401) this.shared.relogin(this);
    this.shared.counted(this.probe ? 'probes' : 'thumbnails');
    this.shared.recorder.record(thumbnailRecord(this.userId, this.target!, this.probe, this.start, Date.now(), answer));
  }
}
