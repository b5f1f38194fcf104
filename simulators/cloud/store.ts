/**
 * The system of record: the truth about users, cameras, shares, sessions and events, held in memory. Every
 * cache in front of it is keyed by the versions it hands out (`generation`, a camera's `version`, a user's
 * `feedVersion`), so an entry written before a change can never be read after it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { WorldSeed } from '../../src/protocol/schema.ts';
import { EventLog, type StoredEvent } from './event-log.ts';

/** What the device paths need to know about a camera: plain data, so it can live in a cache. */
export interface CameraRecord {
  cameraId: string;
  ownerId: string;
  sharees: string[];
  /** sha256 of the device secret, hex; the secret itself is never copied out of the store. */
  secretDigest: string;
  /** Changes on every access change of this camera. */
  version: number;
}

interface CameraRow {
  cameraId: string;
  ownerId: string;
  sharees: Set<string>;
  secretDigest: string;
  version: number;
}

interface UserRow {
  userId: string;
  email: string;
  passwordDigest: Buffer;
}

/** A seed that names unknown or duplicate things; answered with 400. */
export class SeedError extends Error {}

/** An admin call about a camera or user that does not exist; answered with 404. */
export class UnknownError extends Error {}

export function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export class SystemOfRecord {
  /** Bumped by every world replacement; part of every cache key. */
  generation = 0;
  readonly events = new EventLog();
  /** One counter for all versions, so a version is never handed out twice. */
  private lastVersion = 0;
  private users = new Map<string, UserRow>();
  private userByEmail = new Map<string, UserRow>();
  private cameras = new Map<string, CameraRow>();
  /** userId -> cameras the user owns or is shared, kept so a camera list never scans every camera. */
  private access = new Map<string, Set<string>>();
  private tokens = new Map<string, string>();
  private feedVersions = new Map<string, number>();

  /** Replaces everything, events and sessions included. Throws SeedError and changes nothing on a bad seed. */
  replaceWorld(seed: WorldSeed): void {
    const users = new Map<string, UserRow>();
    const byEmail = new Map<string, UserRow>();
    for (const user of seed.users) {
      if (users.has(user.userId)) throw new SeedError(`duplicate userId ${user.userId}`);
      if (byEmail.has(user.email)) throw new SeedError(`duplicate email ${user.email}`);
      const row = { userId: user.userId, email: user.email, passwordDigest: digest(user.password) };
      users.set(row.userId, row);
      byEmail.set(row.email, row);
    }
    const cameras = new Map<string, CameraRow>();
    for (const camera of seed.cameras) {
      if (cameras.has(camera.cameraId)) throw new SeedError(`duplicate cameraId ${camera.cameraId}`);
      if (!users.has(camera.ownerId)) throw new SeedError(`camera ${camera.cameraId} is owned by unknown user ${camera.ownerId}`);
      const secretDigest = digest(camera.secret).toString('hex');
      cameras.set(camera.cameraId, { cameraId: camera.cameraId, ownerId: camera.ownerId, sharees: new Set(), secretDigest, version: 0 });
    }
    for (const share of seed.shares) {
      const camera = cameras.get(share.cameraId);
      if (!camera) throw new SeedError(`share of unknown camera ${share.cameraId}`);
      if (!users.has(share.userId)) throw new SeedError(`share with unknown user ${share.userId}`);
      camera.sharees.add(share.userId);
    }
    this.generation++;
    this.users = users;
    this.userByEmail = byEmail;
    this.cameras = cameras;
    this.tokens = new Map();
    this.feedVersions = new Map();
    this.access = new Map();
    this.events.clear();
    for (const camera of cameras.values()) {
      camera.version = ++this.lastVersion;
      this.grant(camera.ownerId, camera.cameraId);
      for (const userId of camera.sharees) this.grant(userId, camera.cameraId);
    }
  }

  /** A new session token, or undefined on bad credentials. */
  login(email: string, password: string): { token: string; userId: string } | undefined {
    const user = this.userByEmail.get(email);
    // Compare digests so the time taken says nothing about the password.
    if (!user || !timingSafeEqual(user.passwordDigest, digest(password))) return undefined;
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, user.userId);
    return { token, userId: user.userId };
  }

  userOfToken(token: string): string | undefined {
    return this.tokens.get(token);
  }

  hasUser(userId: string): boolean {
    return this.users.has(userId);
  }

  camera(cameraId: string): CameraRecord | undefined {
    const row = this.cameras.get(cameraId);
    if (!row) return undefined;
    return { cameraId, ownerId: row.ownerId, sharees: [...row.sharees], secretDigest: row.secretDigest, version: row.version };
  }

  cameraVersion(cameraId: string): number | undefined {
    return this.cameras.get(cameraId)?.version;
  }

  hasAccess(userId: string, cameraId: string): boolean {
    const row = this.cameras.get(cameraId);
    return row !== undefined && (row.ownerId === userId || row.sharees.has(userId));
  }

  /** The cameras a user may see now, with their role. */
  *camerasOf(userId: string): Generator<{ cameraId: string; role: 'owner' | 'shared' }> {
    for (const cameraId of this.access.get(userId) ?? []) {
      const row = this.cameras.get(cameraId);
      if (row) yield { cameraId, role: row.ownerId === userId ? 'owner' : 'shared' };
    }
  }

  /**
   * Moves a camera to a new owner. Shares are kept: a transfer changes who owns the camera, not whom the
   * camera is shared with (revoking them is a separate admin call). Returns the users whose access changed.
   */
  transfer(cameraId: string, ownerId: string): string[] {
    const row = this.knownCamera(cameraId);
    this.knownUser(ownerId);
    const previous = row.ownerId;
    if (previous === ownerId) return [];
    row.ownerId = ownerId;
    if (!row.sharees.has(previous)) this.deny(previous, cameraId);
    this.grant(ownerId, cameraId);
    return [previous, ownerId];
  }

  /** Returns the users whose access changed (none when the share existed already). */
  share(cameraId: string, userId: string): string[] {
    const row = this.knownCamera(cameraId);
    this.knownUser(userId);
    if (row.sharees.has(userId)) return [];
    row.sharees.add(userId);
    this.grant(userId, cameraId);
    return [userId];
  }

  /** Returns the users whose access changed (none when there was no such share). */
  revoke(cameraId: string, userId: string): string[] {
    const row = this.knownCamera(cameraId);
    this.knownUser(userId);
    if (!row.sharees.delete(userId)) return [];
    if (row.ownerId !== userId) this.deny(userId, cameraId);
    return [userId];
  }

  /** Retires every cached access record of the camera. */
  bumpCameraVersion(cameraId: string): void {
    const row = this.cameras.get(cameraId);
    if (row) row.version = ++this.lastVersion;
  }

  feedVersion(userId: string): number {
    return this.feedVersions.get(userId) ?? 0;
  }

  /** Retires every cached page of the user's events. */
  bumpFeedVersion(userId: string): void {
    this.feedVersions.set(userId, ++this.lastVersion);
  }

  /** Stores an accepted event for its audience; the caller guarantees the eventId is new. */
  acceptEvent(event: Omit<StoredEvent, 'seq'>): StoredEvent {
    const stored = this.events.append(event);
    for (const userId of stored.audience) this.bumpFeedVersion(userId);
    return stored;
  }

  private knownCamera(cameraId: string): CameraRow {
    const row = this.cameras.get(cameraId);
    if (!row) throw new UnknownError(`unknown camera ${cameraId}`);
    return row;
  }

  private knownUser(userId: string): void {
    if (!this.users.has(userId)) throw new UnknownError(`unknown user ${userId}`);
  }

  private grant(userId: string, cameraId: string): void {
    const cameras = this.access.get(userId);
    if (cameras) cameras.add(cameraId);
    else this.access.set(userId, new Set([cameraId]));
  }

  private deny(userId: string, cameraId: string): void {
    this.access.get(userId)?.delete(cameraId);
  }
}
