/**
 * The access changes the run will make: ownership transfers and share revocations, most of them inside the
 * storm window (where caches are most confused), none in the warm-up or the final settle part (there must be
 * time to judge). Consistent when applied in order: a revocation only removes a share in force at that time
 * (every revoked share is an initial one, revoked once, and the run adds none), a transfer goes to a user who is
 * neither the current owner nor a current recipient, and two changes on one camera are at least 3 x grace apart,
 * so their grace windows never overlap.
 */
import { pickExcept } from './shares.ts';
import { CHANGE_SPACING_GRACES, WorldSpecError, type ResolvedWorldSpec } from './rules.ts';
import type { Random } from './random.ts';
import type { AccessChange, Camera, Share } from './types.ts';

/** Default transfers, as a fraction of cameras. */
const TRANSFER_FRACTION = 0.02;
/** Default revocations, as a fraction of the initial shares. */
const REVOKE_FRACTION = 1 / 3;
/** Random camera picks tried before scanning every candidate for one that fits a time. */
const QUICK_PICKS = 32;
/** Fresh times drawn for one change before giving up on the spec. */
const TIME_DRAWS = 16;

interface Window {
  startMs: number;
  endMs: number;
}

/** A change whose time and camera are decided but whose transfer recipient is chosen in a later, ordered pass. */
interface Placed {
  kind: 'transfer' | 'revoke';
  at: number;
  camera: number;
  /** For a revocation: the user whose share goes. */
  userIndex: number;
}

export function scheduleChanges(
  spec: ResolvedWorldSpec,
  cameras: readonly Camera[],
  userIds: readonly string[],
  shares: readonly Share[],
  random: Random,
): AccessChange[] {
  const userIndex = new Map(userIds.map((id, index) => [id, index]));
  const cameraIndex = new Map(cameras.map((camera, index) => [camera.cameraId, index]));
  const recipients = cameras.map(() => [] as number[]);
  for (const share of shares) recipients[cameraIndex.get(share.cameraId)!]!.push(userIndex.get(share.userId)!);

  const transfers = transferCount(spec, userIds.length);
  const revocations = revocationCount(spec, shares.length);
  const spacingMs = Math.max(1, CHANGE_SPACING_GRACES * spec.graceMs);
  const { storm, outside } = windowsOf(spec);
  checkCapacity(transfers + revocations, cameras.length, storm, outside, spacingMs);

  const kinds: Array<'transfer' | 'revoke'> = [
    ...new Array<'transfer'>(transfers).fill('transfer'),
    ...new Array<'revoke'>(revocations).fill('revoke'),
  ];
  random.shuffle(kinds);
  const inStorm = outside.length === 0 ? kinds.length : Math.round(kinds.length * spec.stormShare);

  const timesOnCamera = new Map<number, number[]>();
  const fits = (camera: number, at: number): boolean =>
    (timesOnCamera.get(camera) ?? []).every((other) => Math.abs(other - at) >= spacingMs);
  // A camera can take a transfer only if someone is left who is neither its owner nor one of its recipients.
  const transferable = cameras.map((_, camera) => camera).filter((camera) => userIds.length - 1 - recipients[camera]!.length >= 1);
  const pendingShares = shares.map((share) => ({ camera: cameraIndex.get(share.cameraId)!, user: userIndex.get(share.userId)! }));

  const placed: Placed[] = [];
  kinds.forEach((kind, order) => {
    const windows = order < inStorm ? [storm] : outside;
    for (let draw = 0; draw < TIME_DRAWS; draw++) {
      const at = timeIn(windows, random);
      if (kind === 'transfer') {
        const slot = findFitting(transferable.length, (i) => fits(transferable[i]!, at), random);
        if (slot === undefined) continue;
        placed.push({ kind, at, camera: transferable[slot]!, userIndex: -1 });
        remember(timesOnCamera, transferable[slot]!, at);
        return;
      }
      const slot = findFitting(pendingShares.length, (i) => fits(pendingShares[i]!.camera, at), random);
      if (slot === undefined) continue;
      const share = pendingShares[slot]!;
      // Each share is revoked at most once: swap-remove it from the pool.
      pendingShares[slot] = pendingShares[pendingShares.length - 1]!;
      pendingShares.pop();
      placed.push({ kind, at, camera: share.camera, userIndex: share.user });
      remember(timesOnCamera, share.camera, at);
      return;
    }
    throw new WorldSpecError([
      `could not fit ${transfers} transfers and ${revocations} revocations at least ${spacingMs} ms apart per camera ` +
        'into the run: lower the counts or graceMs, or lengthen the storm',
    ]);
  });

  // Stable sort: equal times keep their (seeded) placement order.
  placed.sort((a, b) => a.at - b.at);
  return assignRecipients(placed, cameras, userIds, recipients, random);
}

function transferCount(spec: ResolvedWorldSpec, users: number): number {
  if (spec.transfers === undefined) return users < 2 ? 0 : Math.max(1, Math.round(spec.cameras * TRANSFER_FRACTION));
  if (spec.transfers > 0 && users < 2) {
    throw new WorldSpecError([`transfers need at least 2 users (got ${spec.transfers} transfers for 1 user)`]);
  }
  return spec.transfers;
}

function revocationCount(spec: ResolvedWorldSpec, shares: number): number {
  if (spec.revocations === undefined) return shares === 0 ? 0 : Math.max(1, Math.round(shares * REVOKE_FRACTION));
  if (spec.revocations > shares) {
    throw new WorldSpecError([
      `revocations must be at most the initial shares (got ${spec.revocations} revocations for ${shares} shares): ` +
        'lower revocations or raise shareFraction',
    ]);
  }
  return spec.revocations;
}

function windowsOf(spec: ResolvedWorldSpec): { storm: Window; outside: Window[] } {
  const { durationMs, storm, warmupMs, settleMs } = spec.timeline;
  const outside = [
    { startMs: warmupMs, endMs: storm.startMs },
    { startMs: storm.endMs, endMs: durationMs - settleMs },
  ].filter((window) => window.endMs > window.startMs);
  return { storm: { startMs: storm.startMs, endMs: storm.endMs }, outside };
}

/** A cheap upper bound: every camera holds at most one change per spacing in each window. */
function checkCapacity(changes: number, cameras: number, storm: Window, outside: Window[], spacingMs: number): void {
  const perCamera = [storm, ...outside].reduce(
    (sum, window) => sum + Math.floor((window.endMs - window.startMs - 1) / spacingMs) + 1,
    0,
  );
  if (changes > perCamera * cameras) {
    throw new WorldSpecError([
      `${changes} access changes cannot fit: ${cameras} cameras hold at most ${perCamera * cameras} changes ` +
        `${spacingMs} ms apart (3 x graceMs) in the run: lower transfers or revocations, or lengthen the run`,
    ]);
  }
}

/** A whole-ms time, uniform over the union of `windows` (each non-empty). */
function timeIn(windows: readonly Window[], random: Random): number {
  const total = windows.reduce((sum, window) => sum + window.endMs - window.startMs, 0);
  let offset = random.below(total);
  for (const window of windows) {
    const length = window.endMs - window.startMs;
    if (offset < length) return window.startMs + offset;
    offset -= length;
  }
  throw new RangeError('offset beyond the windows');
}

/** A few random candidates first (almost always enough), then every candidate from a random start. */
function findFitting(size: number, fits: (index: number) => boolean, random: Random): number | undefined {
  if (size === 0) return undefined;
  for (let i = 0; i < QUICK_PICKS; i++) {
    const index = random.below(size);
    if (fits(index)) return index;
  }
  const start = random.below(size);
  for (let step = 0; step < size; step++) {
    const index = (start + step) % size;
    if (fits(index)) return index;
  }
  return undefined;
}

function remember(timesOnCamera: Map<number, number[]>, camera: number, at: number): void {
  const times = timesOnCamera.get(camera);
  if (times) times.push(at);
  else timesOnCamera.set(camera, [at]);
}

/** Replays the placed changes in time order, choosing each transfer's recipient from who is eligible then. */
function assignRecipients(
  placed: readonly Placed[],
  cameras: readonly Camera[],
  userIds: readonly string[],
  initialRecipients: readonly number[][],
  random: Random,
): AccessChange[] {
  const userIndex = new Map(userIds.map((id, index) => [id, index]));
  const owner = cameras.map((camera) => userIndex.get(camera.ownerId)!);
  const recipients = initialRecipients.map((users) => new Set(users));
  return placed.map((change): AccessChange => {
    const cameraId = cameras[change.camera]!.cameraId;
    if (change.kind === 'revoke') {
      recipients[change.camera]!.delete(change.userIndex);
      return { kind: 'revoke', at: change.at, cameraId, userId: userIds[change.userIndex]! };
    }
    const to = pickExcept(userIds.length, [owner[change.camera]!, ...recipients[change.camera]!], random);
    owner[change.camera] = to;
    return { kind: 'transfer', at: change.at, cameraId, toUserId: userIds[to]! };
  });
}
