/** The admin calls: seeding the world and changing who may see a camera. */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { MAX_WORLD_BODY_BYTES, OwnerChange, WorldSeed } from '../../../src/protocol/schema.ts';
import { bearerToken, type CloudContext } from '../context.ts';
import type { Reply } from '../seams.ts';
import { SeedError, UnknownError, digest } from '../store.ts';
import { readJson } from './body.ts';
import { HttpError, noContent } from './reply.ts';

function requireAdmin(ctx: CloudContext, req: IncomingMessage): void {
  const token = bearerToken(req.headers.authorization);
  if (token === undefined || !timingSafeEqual(digest(token), ctx.adminTokenDigest)) {
    throw new HttpError(401, 'unauthorized', 'admin calls need Authorization: Bearer <admin token>');
  }
}

/** Store errors about unknown ids and bad seeds become 404 and 400. */
function asHttp(error: unknown): never {
  if (error instanceof UnknownError) throw new HttpError(404, 'not_found', error.message);
  if (error instanceof SeedError) throw new HttpError(400, 'bad_request', `invalid world: ${error.message}`);
  throw error;
}

export async function replaceWorld(ctx: CloudContext, req: IncomingMessage): Promise<Reply> {
  requireAdmin(ctx, req);
  const seed = await readJson(req, WorldSeed, MAX_WORLD_BODY_BYTES);
  try {
    ctx.store.replaceWorld(seed);
  } catch (error) {
    asHttp(error);
  }
  ctx.dropSessions();
  ctx.log(`world replaced: ${seed.users.length} users, ${seed.cameras.length} cameras, ${seed.shares.length} shares`);
  return noContent();
}

export async function transferCamera(ctx: CloudContext, req: IncomingMessage, cameraId: string): Promise<Reply> {
  requireAdmin(ctx, req);
  const { ownerId } = await readJson(req, OwnerChange);
  return changeAccess(ctx, cameraId, () => ctx.store.transfer(cameraId, ownerId));
}

export async function shareCamera(ctx: CloudContext, req: IncomingMessage, cameraId: string, userId: string): Promise<Reply> {
  requireAdmin(ctx, req);
  return changeAccess(ctx, cameraId, () => ctx.store.share(cameraId, userId));
}

export async function revokeShare(ctx: CloudContext, req: IncomingMessage, cameraId: string, userId: string): Promise<Reply> {
  requireAdmin(ctx, req);
  return changeAccess(ctx, cameraId, () => ctx.store.revoke(cameraId, userId));
}

/** Applies the change to the truth, then tells the caches, in the same tick: nobody reads in between. Both clouds' admin APIs use it. */
export function changeAccess(ctx: { parts: Pick<CloudContext['parts'], 'invalidation'> }, cameraId: string, change: () => string[]): Reply {
  let affected: string[] = [];
  try {
    affected = change();
  } catch (error) {
    asHttp(error);
  }
  if (affected.length > 0) ctx.parts.invalidation.accessChanged(cameraId, affected);
  return noContent();
}
