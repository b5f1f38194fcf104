/**
 * The three cached read paths of the cloud: session token -> user, camera -> access record, and a user's pages
 * of events. Each read-through is keyed by the system of record's versions, re-checks the version after every
 * await (the world may have moved on while the cache answered), and on any cache error falls back to the
 * system of record. A cache miss, error or timeout therefore costs time, never correctness.
 */
import { createHash } from 'node:crypto';
import type { KeyValueCache } from '../seams.ts';
import type { CameraRecord, SystemOfRecord } from '../store.ts';
import { Breaker } from './breaker.ts';

const TOKEN_TTL_S = 3_600;
const CAMERA_TTL_S = 300;
/** Short: a feed version changes with every new event, so old pages are dead weight anyway. */
const FEED_TTL_S = 30;

/** Cache traffic as seen by the cloud; tests and benches read it. */
export interface CacheStats {
  hits: number;
  misses: number;
  errors: number;
  /** Reads and writes not attempted because the breaker was open. */
  skipped: number;
}

export class CachedViews {
  readonly stats: CacheStats = { hits: 0, misses: 0, errors: 0, skipped: 0 };
  private readonly breaker = new Breaker();

  constructor(
    private readonly store: SystemOfRecord,
    private readonly cache: KeyValueCache,
    private readonly keyPrefix: string,
  ) {}

  async userOfToken(token: string): Promise<string | undefined> {
    const generation = this.store.generation;
    // Only a digest of the token goes to the cache: whoever reads Redis cannot log in with what they see.
    const key = `${this.keyPrefix}w${generation}:tok:${createHash('sha256').update(token).digest('base64url')}`;
    const cached = await this.read(key);
    if (cached !== undefined && generation === this.store.generation && this.store.hasUser(cached)) return cached;
    const userId = this.store.userOfToken(token);
    if (userId !== undefined && generation === this.store.generation) this.write(key, userId, TOKEN_TTL_S);
    return userId;
  }

  /** Called at login, so the next request already hits. */
  rememberToken(token: string, userId: string): void {
    const key = `${this.keyPrefix}w${this.store.generation}:tok:${createHash('sha256').update(token).digest('base64url')}`;
    this.write(key, userId, TOKEN_TTL_S);
  }

  async cameraRecord(cameraId: string): Promise<CameraRecord | undefined> {
    const generation = this.store.generation;
    const version = this.store.cameraVersion(cameraId);
    if (version === undefined) return undefined;
    const key = `${this.keyPrefix}w${generation}:cam:${cameraId}:${version}`;
    const cached = parseRecord(await this.read(key));
    if (cached && cached.cameraId === cameraId && cached.version === version && this.store.cameraVersion(cameraId) === version && generation === this.store.generation) {
      return cached;
    }
    const record = this.store.camera(cameraId);
    if (record && record.version === version && generation === this.store.generation) this.write(key, JSON.stringify(record), CAMERA_TTL_S);
    return record;
  }

  /**
   * A page of the user's events as the JSON body to answer with. `render` computes it from the system of
   * record, synchronously, so what it returns is at least as new as the version in the key it is stored under.
   */
  async eventPage(userId: string, pageKey: string, render: () => string): Promise<string> {
    const generation = this.store.generation;
    const version = this.store.feedVersion(userId);
    const key = `${this.keyPrefix}w${generation}:feed:${userId}:${version}:${pageKey}`;
    const cached = await this.read(key);
    const unchanged = generation === this.store.generation && version === this.store.feedVersion(userId);
    if (cached !== undefined && unchanged) return cached;
    const body = render();
    if (unchanged) this.write(key, body, FEED_TTL_S);
    return body;
  }

  private async read(key: string): Promise<string | undefined> {
    if (!this.breaker.allows()) {
      this.stats.skipped++;
      return undefined;
    }
    try {
      const value = await this.cache.get(key);
      this.breaker.succeeded();
      if (value === null) this.stats.misses++;
      else this.stats.hits++;
      return value ?? undefined;
    } catch {
      this.breaker.failed();
      this.stats.errors++;
      return undefined;
    }
  }

  private write(key: string, value: string, ttlSeconds: number): void {
    if (!this.breaker.allows()) {
      this.stats.skipped++;
      return;
    }
    this.cache.set(key, value, ttlSeconds).then(
      () => this.breaker.succeeded(),
      () => {
        this.breaker.failed();
        this.stats.errors++;
      },
    );
  }
}

function parseRecord(text: string | undefined): CameraRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<CameraRecord> | null;
    const wellFormed =
      typeof value?.cameraId === 'string' &&
      typeof value.ownerId === 'string' &&
      Array.isArray(value.sharees) &&
      typeof value.secretDigest === 'string' &&
      typeof value.version === 'number';
    return wellFormed ? (value as CameraRecord) : undefined;
  } catch {
    return undefined;
  }
}
