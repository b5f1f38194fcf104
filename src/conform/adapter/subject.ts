/**
 * A backend seen through its adapter, as conform's adapter areas check it. Every hook is called here and what it
 * did is read as a run reads it (../../adapter/call.ts): the backend's refusal is an answer (a `Refusal`, which a
 * step may expect), the backend or the network failing fails the step, and the adapter failing (a throw of its own,
 * a wrong shape, an item pushed in the wrong shape) is a `NoVerdict` naming the adapter and the hook. Every hook
 * call is bounded; connections and push channels an area opens are closed when it ends.
 */
import {
  camerasProblem, channelProblem, classifyFailure, connectionProblem, eventPageProblem, thumbnailProblem,
} from '../../adapter/call.ts';
import { Refusal } from '../../adapter/define.ts';
import type { Adapter, AdapterContext, CameraItem, DeviceEvent, ShownItem, ThumbnailAnswer, WorldCamera, WorldUser } from '../../adapter/types.ts';
import { redact } from '../../protocol/redact.ts';
import type { Accounts } from '../../world/accounts.ts';
import { NoVerdict, Mismatch } from '../expectation.ts';
import type { Subject } from '../runner.ts';
import { castFromAccounts, freshCast, type Cast } from './cast.ts';
import { CameraLink, PushLog, type Camera } from './links.ts';

/** The optional hooks a step may need; without one it is skipped, and says which. */
export type Hook = 'users.probe' | 'users.push' | 'world.share' | 'world.revoke' | 'world.transfer';

/** Pages walked at most when listing everything, so a cursor that never ends cannot loop conform. */
const MAX_PAGES = 200;

export interface AdapterSubjectOptions {
  /** The backend's endpoints by the adapter's names (real ones: conform puts no proxy in between). */
  endpoints: Record<string, string>;
  options: Record<string, string>;
  timeoutMs: number;
  graceMs: number;
  /** Accounts that exist on the backend (`--world`); needed when the adapter has no `world.seed`. */
  accounts?: Accounts;
}

export class AdapterSubject implements Subject<Hook> {
  readonly name: string;
  readonly timeoutMs: number;
  readonly graceMs: number;
  readonly ctx: AdapterContext;
  private readonly stop = new AbortController();
  private readonly opened = new Set<{ close(): void | Promise<void> }>();
  private finished = false;

  constructor(readonly adapter: Adapter, private readonly options: AdapterSubjectOptions) {
    this.name = adapter.name;
    this.timeoutMs = options.timeoutMs;
    this.graceMs = options.graceMs;
    this.ctx = { endpoints: options.endpoints, signal: this.stop.signal, timeoutMs: options.timeoutMs, options: options.options };
  }

  has(hook: Hook | 'world.seed' | 'world.health'): boolean {
    const [group, name] = hook.split('.') as [string, string];
    const hooks = (this.adapter as unknown as Record<string, Record<string, unknown> | undefined>)[group];
    return typeof hooks?.[name] === 'function';
  }

  lacking(needs: readonly Hook[]): string | undefined {
    const missing = needs.filter((hook) => !this.has(hook));
    return missing.length > 0 ? `adapter ${this.name} has no ${missing.join(' or ')}` : undefined;
  }

  redact(detail: string): string {
    return redact(detail);
  }

  /** Closes what the area opened, waiting (one call timeout at most) so the next area's cameras connect afresh. */
  async closeSockets(): Promise<void> {
    const closing = [...this.opened].map((each) => Promise.resolve().then(() => each.close()).catch(() => undefined));
    this.opened.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closing), new Promise((resolve) => (timer = setTimeout(resolve, this.timeoutMs)))]);
    clearTimeout(timer);
  }

  finish(): void {
    this.finished = true;
    void this.closeSockets();
    this.stop.abort();
  }

  /**
   * The world an area plays in: the adapter seeds a fresh one (the `--world` accounts when given), or, with no
   * `world.seed`, the `--world` accounts as they are.
   */
  async world(): Promise<Cast> {
    const { accounts } = this.options;
    if (!this.has('world.seed')) return castFromAccounts(accounts!);
    if (accounts) {
      const cast = castFromAccounts(accounts);
      await this.call('world.seed', () => this.adapter.world!.seed!(this.ctx, { runId: `conform-${cast.tag}`, ...accounts }));
      return { ...cast, fresh: true };
    }
    const { cast, seed } = freshCast();
    await this.call('world.seed', () => this.adapter.world!.seed!(this.ctx, seed));
    return cast;
  }

  /** Calls one hook, bounded, and reads its outcome (see the file's comment); `problem` checks what it returned. */
  async call<T>(hook: string, work: () => Promise<T>, problem?: (value: unknown) => string | undefined): Promise<T> {
    let value: T;
    try {
      value = await this.bounded(hook, work);
    } catch (error) {
      if (error instanceof Mismatch) throw error;
      const failure = classifyFailure(error);
      if (failure.kind === 'refused') throw new Refusal(failure.status, `${hook}: the backend refused with ${failure.status}`);
      if (failure.kind === 'target') throw new Error(`${hook}: the backend failed: ${failure.message}`);
      throw new NoVerdict(`adapter ${this.name}: ${hook} ${failure.message}`);
    }
    const wrong = problem?.(value);
    if (wrong !== undefined) throw new NoVerdict(`adapter ${this.name}: ${hook} ${wrong}`);
    return value;
  }

  login(user: WorldUser): Promise<unknown> {
    return this.call('users.login', () => this.adapter.users.login(this.ctx, user));
  }

  cameras(session: unknown): Promise<CameraItem[]> {
    return this.call('users.cameras', () => this.adapter.users.cameras(this.ctx, session), camerasProblem);
  }

  /** Every event the user is shown, walking the backend's own paging `limit` at a time until a page is empty or last. */
  async allEvents(session: unknown, limit: number): Promise<ShownItem[]> {
    const events: ShownItem[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const { events: batch, next } = await this.call('users.events', () => this.adapter.users.events(this.ctx, session, { cursor, limit }), eventPageProblem);
      if (batch.length > limit) throw new Mismatch(`a page of ${batch.length} events`, `at most the ${limit} asked for`);
      events.push(...batch);
      if (batch.length === 0 || next === undefined) return events;
      cursor = next;
    }
    throw new Mismatch(`more than ${MAX_PAGES} non-empty pages of ${limit}`, 'the event list to end');
  }

  /**
   * What the backend answered when `session` asked for an event's thumbnail through `hook`: the status and bytes,
   * a refusal thrown by the adapter read as its status.
   */
  async ask(hook: 'users.thumbnail' | 'users.probe', session: unknown, item: { eventId: string; cameraId: string }): Promise<ThumbnailAnswer> {
    const users = this.adapter.users;
    const asking = hook === 'users.probe' ? users.probe! : users.thumbnail;
    try {
      return await this.call(hook, () => asking.call(users, this.ctx, session, item), thumbnailProblem);
    } catch (error) {
      if (error instanceof Refusal) return { status: error.status };
      throw error;
    }
  }

  /** Connects `camera` with the secret given; closed when the area ends. */
  async connect(camera: WorldCamera): Promise<Camera> {
    const link = new CameraLink();
    const connection = await this.call('devices.connect', () => this.adapter.devices.connect(this.ctx, camera, link), connectionProblem);
    this.keep(connection);
    return { id: camera.id, connection, link };
  }

  /** Sends `event` from `camera` and waits for its ack; a missing ack fails with what the link heard. */
  async send(camera: Camera, event: DeviceEvent): Promise<void> {
    await this.call('devices.send', async () => camera.connection.send(event));
    if (await camera.link.waitAck(event.eventId, this.timeoutMs)) return;
    const heard = camera.link.dropReason ?? (camera.link.unreadables.length > 0 ? `unreadable: ${camera.link.unreadables.at(-1)}` : undefined);
    throw new Mismatch(`no ack of ${event.eventId} within ${this.timeoutMs} ms${heard ? ` (${heard})` : ''}`, 'the backend to acknowledge the event');
  }

  /** Opens the user's push channel; closed when the area ends. */
  async push(session: unknown): Promise<PushLog> {
    const log = new PushLog();
    const channel = await this.call('users.push', () => this.adapter.users.push!(this.ctx, session, log), channelProblem);
    this.keep(channel);
    return log;
  }

  /** Throws the adapter's fault if it pushed an item in the wrong shape. */
  checkPushed(log: PushLog): void {
    if (log.faults.length > 0) throw new NoVerdict(`adapter ${this.name}: users.push ${log.faults[0]}`);
  }

  async share(cameraId: string, userId: string): Promise<void> {
    await this.call('world.share', () => this.adapter.world!.share!(this.ctx, cameraId, userId));
  }

  async revoke(cameraId: string, userId: string): Promise<void> {
    await this.call('world.revoke', () => this.adapter.world!.revoke!(this.ctx, cameraId, userId));
  }

  async transfer(cameraId: string, toUserId: string): Promise<void> {
    await this.call('world.transfer', () => this.adapter.world!.transfer!(this.ctx, cameraId, toUserId));
  }

  /** Waits out the grace window after an access change, so only one answer is right. */
  async settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.graceMs + 100));
  }

  private keep(closable: { close(): void | Promise<void> }): void {
    if (this.finished) void Promise.resolve().then(() => closable.close()).catch(() => undefined);
    else this.opened.add(closable);
  }

  /** `work()`, or a failure once twice the call timeout has passed: a hook that never settles is not a pass. */
  private async bounded<T>(hook: string, work: () => Promise<T>): Promise<T> {
    const limitMs = this.timeoutMs * 2;
    let timer: NodeJS.Timeout | undefined;
    const running = Promise.resolve().then(work);
    running.catch(() => undefined);
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Mismatch(`${hook} still running after ${limitMs} ms`, 'an answer within the call timeout')), limitMs);
    });
    try {
      return await Promise.race([running, limit]);
    } finally {
      clearTimeout(timer);
    }
  }
}
