/**
 * The access timeline: who could reach which camera when, as the access changes were REALLY applied (the
 * history's `access` records, harness times), not as planned. The oracle asks it one question per item shown:
 * did user U have access to camera C over [from, to]? The answer is three-valued so that uncertainty is
 * never judged a leak.
 *
 * Decisions (all chosen so that doubt turns into 'either', never into a false leak or a false 'yes'):
 * - Around each change the grace window [start - graceMs, end + graceMs) answers 'either' for every user whose
 *   access or ownership the change alters. Asking about [from, to] against a window widened by the grace is the
 *   same as asking about [from - grace, to + grace] against the bare change.
 * - A change whose admin call failed (`ok: false`, an error or a timeout) may or may not have happened, now or
 *   later: from `start - graceMs` on both answers are accepted, until a later certain change to the same
 *   relation settles it (we assume a failed call does not land after a later call on that camera completed).
 * - Changes on one camera whose admin calls overlap in time may have been applied in either order, so they are
 *   treated like failed ones (both outcomes possible).
 * - A transfer moves the owner only; shares survive it (docs/protocol.md says nothing else happens).
 */
import type { HistoryRecord } from './history.ts';
import type { AccessChange, World } from './types.ts';

/** 'yes': surely so at every point; 'no': surely not at any point; 'either': an access change makes it uncertain. */
export type Tri = 'yes' | 'no' | 'either';

export type AccessRecord = Extract<HistoryRecord, { type: 'access' }>;

/** A piecewise-constant answer over time: states[k] holds on [bounds[k-1], bounds[k]); adjacent states differ. */
interface Piecewise {
  bounds: number[];
  states: Tri[];
}

interface Window {
  from: number;
  to: number;
  after: Tri;
}

/**
 * One user's two questions about one camera: access (owner or sharee) and ownership, over an interval. This is
 * the oracle's hot path, so the usual case (no change ever touched this user) answers from one field.
 */
export class UserAccess {
  private readonly accessAlways: Tri | null;
  private readonly ownerAlways: Tri | null;

  constructor(
    private readonly accessLine: Piecewise,
    private readonly ownerLine: Piecewise,
  ) {
    this.accessAlways = accessLine.bounds.length === 0 ? accessLine.states[0]! : null;
    this.ownerAlways = ownerLine.bounds.length === 0 ? ownerLine.states[0]! : null;
  }

  access(from: number, to: number): Tri {
    return this.accessAlways ?? ask(this.accessLine, from, to);
  }

  owner(from: number, to: number): Tri {
    return this.ownerAlways ?? ask(this.ownerLine, from, to);
  }
}

/** A user the camera never had anything to do with. */
const STRANGER = new UserAccess({ bounds: [], states: ['no'] }, { bounds: [], states: ['no'] });

/** Possible values as bits, so uncertainty composes by union. */
const YES = 1;
const NO = 2;

function tri(bits: number): Tri {
  return bits === YES ? 'yes' : bits === NO ? 'no' : 'either';
}

function ask(line: Piecewise, from: number, to: number): Tri {
  const { bounds, states } = line;
  if (bounds.length === 0) return states[0]!;
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  let k = 0;
  while (k < bounds.length && bounds[k]! <= lo) k++;
  // Adjacent states always differ, so an interval that crosses a bound is uncertain.
  if (k < bounds.length && bounds[k]! <= hi) return 'either';
  return states[k]!;
}

function piecewise(initial: Tri, windows: Window[]): Piecewise {
  const bounds: number[] = [];
  const states: Tri[] = [initial];
  const enter = (at: number, state: Tri): void => {
    if (states[states.length - 1] === state) return;
    bounds.push(at);
    states.push(state);
  };
  // Windows come in change order, so their starts ascend; overlapping or touching ones merge into one
  // uncertain stretch that ends in the state the last of them leaves behind.
  let i = 0;
  while (i < windows.length) {
    const from = windows[i]!.from;
    let to = windows[i]!.to;
    let after = windows[i]!.after;
    while (i + 1 < windows.length && windows[i + 1]!.from <= to) {
      i++;
      to = Math.max(to, windows[i]!.to);
      after = windows[i]!.after;
    }
    enter(from, 'either');
    enter(to, after);
    i++;
  }
  return { bounds, states };
}

interface AppliedChange {
  start: number;
  end: number;
  certain: boolean;
  change: AccessChange;
}

function changedUser(change: AccessChange): string {
  return change.kind === 'transfer' ? change.toUserId : change.userId;
}

/** Everything known about one camera's access; rebuilt in place when a change arrives, so references stay valid. */
export class CameraTimeline {
  // The users this camera ever concerned (a handful), as parallel arrays: ids, world numbers and answers.
  // A scan of a few numbers beats hashing a user id on the oracle's hot path.
  private everyone: string[] = [];
  private numbers: number[] = [];
  private lines: UserAccess[] = [];
  private readonly changes: AppliedChange[] = [];
  /** The number of the one user who surely always has access, as owner, and nobody else ever does; -1 otherwise. */
  solo = -1;

  constructor(
    readonly cameraId: string,
    /** The camera's index in the world's cameras. */
    readonly number: number,
    private readonly initialOwner: string,
    private readonly initialSharees: ReadonlySet<string>,
    private readonly graceMs: number,
    /** The world's users by id, numbered in world order: shared by every camera of the timeline. */
    private readonly userNumbers: ReadonlyMap<string, number>,
  ) {
    this.rebuild();
  }

  /** One user's answers; look it up once when asking several questions about the same user. */
  user(userId: string): UserAccess {
    const n = this.userNumbers.get(userId);
    return n === undefined ? STRANGER : this.userAt(n);
  }

  /** The same by the user's number in the world (`AccessTimeline.userNumber`): the oracle's hot path. */
  userAt(user: number): UserAccess {
    const numbers = this.numbers;
    for (let i = 0; i < numbers.length; i++) if (numbers[i] === user) return this.lines[i]!;
    return STRANGER;
  }

  /** Did `userId` have access (owner or sharee) at every point / no point of [from, to]? */
  access(userId: string, from: number, to: number): Tri {
    return this.user(userId).access(from, to);
  }

  /** Was `userId` the owner over [from, to]? Used for the role shown in `/v1/cameras`. */
  owner(userId: string, from: number, to: number): Tri {
    return this.user(userId).owner(from, to);
  }

  /** Users who may have owned the camera at some point of [from, to]: the evidence's "true owner". */
  ownersDuring(from: number, to: number): string[] {
    const owners: string[] = [];
    this.lines.forEach((line, i) => {
      if (line.owner(from, to) !== 'no') owners.push(this.everyone[i]!);
    });
    return owners;
  }

  /** Every user who ever had, or may have had, access: the only candidates for "entitled". */
  users(): readonly string[] {
    return this.everyone;
  }

  /** The same users by their numbers in the world. */
  usersByNumber(): readonly number[] {
    return this.numbers;
  }

  apply(record: AccessRecord): void {
    // A record with its times swapped still brackets the change; order them rather than trust the field names.
    const start = Math.min(record.start, record.end);
    const end = Math.max(record.start, record.end);
    this.changes.push({ start, end, certain: record.ok, change: record.change });
    this.changes.sort((a, b) => a.start - b.start);
    this.rebuild();
  }

  private rebuild(): void {
    const involved = new Set<string>([this.initialOwner, ...this.initialSharees]);
    for (const c of this.changes) involved.add(changedUser(c.change));
    for (const u of involved) {
      if (!this.userNumbers.has(u)) throw new TimelineError(`camera ${this.cameraId} names user ${u}, who is not in the world`);
    }

    let owners = new Set<string>([this.initialOwner]);
    const shares = new Map<string, number>();
    for (const user of involved) shares.set(user, this.initialSharees.has(user) ? YES : NO);
    // Owner and share uncertainty are combined as if independent: an over-approximation, so still sound.
    const ownedByOther = (u: string): boolean => owners.size > 1 || !owners.has(u);
    const ownerBits = (u: string): number => (owners.has(u) ? YES : 0) | (ownedByOther(u) ? NO : 0);
    const accessBits = (u: string): number =>
      (owners.has(u) || (shares.get(u)! & YES) !== 0 ? YES : 0) | (ownedByOther(u) && (shares.get(u)! & NO) !== 0 ? NO : 0);

    const initial = new Map<string, { access: Tri; owner: Tri }>();
    const windows = new Map<string, { access: Window[]; owner: Window[] }>();
    for (const user of involved) {
      initial.set(user, { access: tri(accessBits(user)), owner: tri(ownerBits(user)) });
      windows.set(user, { access: [], owner: [] });
    }

    this.changes.forEach((c, i) => {
      const overlaps = this.changes.some((o, j) => j !== i && o.start < c.end && c.start < o.end);
      const certain = c.certain && !overlaps;
      const before = new Map([...involved].map((u) => [u, [accessBits(u), ownerBits(u)] as const]));
      const user = changedUser(c.change);
      if (c.change.kind === 'transfer') owners = certain ? new Set([user]) : new Set([...owners, user]);
      else {
        const to = c.change.kind === 'share' ? YES : NO;
        shares.set(user, certain ? to : shares.get(user)! | to);
      }
      const from = c.start - this.graceMs;
      // An uncertain change leaves 'either' behind (both outcomes possible) until a later window settles it.
      const to = certain ? c.end + this.graceMs : from;
      for (const u of involved) {
        const [access, owner] = before.get(u)!;
        const w = windows.get(u)!;
        if (accessBits(u) !== access) w.access.push({ from, to, after: tri(accessBits(u)) });
        if (ownerBits(u) !== owner) w.owner.push({ from, to, after: tri(ownerBits(u)) });
      }
    });

    this.everyone = [...involved];
    this.numbers = this.everyone.map((u) => this.userNumbers.get(u)!);
    this.lines = this.everyone.map((u) => {
      const start = initial.get(u)!;
      const w = windows.get(u)!;
      return new UserAccess(piecewise(start.access, w.access), piecewise(start.owner, w.owner));
    });
    // A camera's only user is its owner for good (no transfer can go to anyone else): asked anyway, so `solo` promises it.
    const only = this.lines.length === 1 ? this.lines[0]! : undefined;
    this.solo = only !== undefined && only.access(-Infinity, Infinity) === 'yes' && only.owner(-Infinity, Infinity) === 'yes' ? this.numbers[0]! : -1;
  }
}

/** Thrown when the world or history names a camera or user the world does not have: judging it is meaningless. */
export class TimelineError extends Error {
  override readonly name = 'TimelineError';
}

/**
 * Access over time for every camera of a world. Built from the world's initial owners and shares, then fed the
 * history's `access` records (in any order). Queries cost a map lookup and a scan of a handful of bounds.
 */
export class AccessTimeline {
  /** Camera numbers by id: a camera-list entry needs only the number when the camera is solo (most are). */
  private readonly cameraNumbers = new Map<string, number>();
  /**
   * Timelines by camera number, each built the first time it is needed: most cameras are one owner's for good,
   * which `solos` answers alone, so a fleet of thousands costs no objects, and a new oracle no time, until asked.
   */
  private readonly byNumber: (CameraTimeline | undefined)[];
  /** Camera ids by number, apart from the timelines: the hot path compares a label with one per item. */
  private readonly cameraIds: string[] = [];
  /**
   * Per camera number, the `solo` user of cameras nobody else ever reaches (most of them): a dense array the
   * oracle's hot path reads without touching the camera's own objects.
   */
  private readonly solos: Int32Array;
  private readonly userNumbers = new Map<string, number>();
  private readonly owners: string[] = [];
  private readonly sharees = new Map<string, Set<string>>();
  private readonly graceMs: number;

  constructor(world: Pick<World, 'users' | 'cameras' | 'shares' | 'graceMs'>, records: Iterable<HistoryRecord> = []) {
    world.users.forEach((user, n) => this.userNumbers.set(user.userId, n));
    for (const share of world.shares) {
      let set = this.sharees.get(share.cameraId);
      if (set === undefined) this.sharees.set(share.cameraId, (set = new Set()));
      set.add(share.userId);
    }
    this.graceMs = world.graceMs;
    this.solos = new Int32Array(world.cameras.length);
    this.byNumber = new Array<CameraTimeline | undefined>(world.cameras.length).fill(undefined);
    world.cameras.forEach((camera, n) => {
      const sharees = this.sharees.get(camera.cameraId);
      // What CameraTimeline checks and decides when built, for a camera without changes: checked now, for every camera.
      for (const u of [camera.ownerId, ...(sharees ?? [])]) {
        if (!this.userNumbers.has(u)) throw new TimelineError(`camera ${camera.cameraId} names user ${u}, who is not in the world`);
      }
      const alone = sharees === undefined || (sharees.size === 1 && sharees.has(camera.ownerId));
      this.cameraNumbers.set(camera.cameraId, n);
      this.cameraIds.push(camera.cameraId);
      this.owners.push(camera.ownerId);
      this.solos[n] = alone ? this.userNumbers.get(camera.ownerId)! : -1;
    });
    for (const record of records) if (record.type === 'access') this.apply(record);
  }

  /** The user's number (their index in the world's users), or -1 for a user not in the world. */
  userNumber(userId: string): number {
    return this.userNumbers.get(userId) ?? -1;
  }

  /** The camera's number, or -1 for a camera not in the world. */
  cameraNumber(cameraId: string): number {
    return this.cameraNumbers.get(cameraId) ?? -1;
  }

  /** The camera's timeline, or undefined for a camera not in the world. */
  camera(cameraId: string): CameraTimeline | undefined {
    const n = this.cameraNumbers.get(cameraId);
    return n === undefined ? undefined : this.cameraAt(n);
  }

  apply(record: AccessRecord): void {
    const camera = this.camera(record.change.cameraId);
    if (camera === undefined) throw new TimelineError(`access change for camera ${record.change.cameraId}, which is not in the world`);
    camera.apply(record);
    this.solos[camera.number] = camera.solo;
  }

  /** The id of the camera numbered `n`: `cameraAt(n).cameraId` without touching its timeline. */
  cameraIdAt(n: number): string {
    return this.cameraIds[n]!;
  }

  /** The camera by its number (`CameraTimeline.number`). */
  cameraAt(n: number): CameraTimeline {
    return this.byNumber[n] ?? this.build(n);
  }

  private build(n: number): CameraTimeline {
    const cameraId = this.cameraIds[n]!;
    const line = new CameraTimeline(cameraId, n, this.owners[n]!, this.sharees.get(cameraId) ?? new Set(), this.graceMs, this.userNumbers);
    this.byNumber[n] = line;
    return line;
  }

  /** The only user camera `n` is ever visible to, surely and always, and its owner throughout; -1 when access is shared or ever changes. */
  soloUser(n: number): number {
    return this.solos[n]!;
  }

  access(userId: string, cameraId: string, from: number, to: number): Tri {
    return this.camera(cameraId)?.access(userId, from, to) ?? 'no';
  }

  owner(userId: string, cameraId: string, from: number, to: number): Tri {
    return this.camera(cameraId)?.owner(userId, from, to) ?? 'no';
  }
}
