/**
 * The admin API, guarded by the `X-Admin-Key` header: replace the world (which also rewrites the broker's
 * accounts: one per camera with its device secret, one per user for the push gateway), transfer a device,
 * add and remove guests (shares).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { MAX_WORLD_BODY_BYTES } from '../../../src/protocol/schema.ts';
import { changeAccess } from '../../cloud/http/admin.ts';
import { readJson } from '../../cloud/http/body.ts';
import { HttpError, noContent } from '../../cloud/http/reply.ts';
import type { Reply } from '../../cloud/seams.ts';
import { SeedError, UnknownError, digest } from '../../cloud/store.ts';
import type { MqttCloudContext } from '../context.ts';
import { ADMIN_HEADER, GuestBody, TransferBody, WorldBody } from '../wire.ts';

function requireAdmin(ctx: MqttCloudContext, req: IncomingMessage): void {
  const key = req.headers[ADMIN_HEADER];
  if (typeof key !== 'string' || !timingSafeEqual(digest(key), ctx.adminKeyDigest)) {
    throw new HttpError(401, 'unauthorized', `admin calls need the ${ADMIN_HEADER} header`);
  }
}

function asHttp(error: unknown): never {
  if (error instanceof UnknownError) throw new HttpError(404, 'not_found', error.message);
  if (error instanceof SeedError) throw new HttpError(400, 'bad_request', `invalid world: ${error.message}`);
  throw error;
}

export async function replaceWorld(ctx: MqttCloudContext, req: IncomingMessage): Promise<Reply> {
  requireAdmin(ctx, req);
  const world = await readJson(req, WorldBody, MAX_WORLD_BODY_BYTES);
  // Accounts and devices share the broker's one namespace of user names, and `%u` decides what each may read.
  const accountIds = new Set(world.accounts.map((account) => account.id));
  const clash = world.devices.find((device) => accountIds.has(device.id));
  if (clash) throw new HttpError(400, 'bad_request', `invalid world: device ${clash.id} has the id of an account`);
  try {
    ctx.store.replaceWorld({
      users: world.accounts.map((account) => ({ userId: account.id, email: account.username, password: account.passphrase })),
      cameras: world.devices.map((device) => ({ cameraId: device.id, secret: device.secret, ownerId: device.owner })),
      shares: world.devices.flatMap((device) => device.guests.map((userId) => ({ cameraId: device.id, userId }))),
    });
  } catch (error) {
    asHttp(error);
  }
  ctx.push.closeAll();
  ctx.gatewayPasswords.clear();
  for (const account of world.accounts) ctx.gatewayPasswords.set(account.id, randomBytes(18).toString('base64url'));
  try {
    await ctx.broker.setAccounts([
      ...world.devices.map((device) => ({ username: device.id, password: device.secret })),
      ...[...ctx.gatewayPasswords].map(([username, password]) => ({ username, password })),
    ]);
  } catch (error) {
    ctx.log(`broker accounts not reloaded: ${error instanceof Error ? error.message : String(error)}`);
    throw new HttpError(503, 'unavailable', 'the broker did not take the new accounts; try again');
  }
  ctx.log(`world replaced: ${world.accounts.length} accounts, ${world.devices.length} devices`);
  return noContent();
}

export async function transferDevice(ctx: MqttCloudContext, req: IncomingMessage, cameraId: string): Promise<Reply> {
  requireAdmin(ctx, req);
  const { to } = await readJson(req, TransferBody);
  return changeAccess(ctx, cameraId, () => ctx.store.transfer(cameraId, to));
}

export async function addGuest(ctx: MqttCloudContext, req: IncomingMessage, cameraId: string): Promise<Reply> {
  requireAdmin(ctx, req);
  const { account } = await readJson(req, GuestBody);
  return changeAccess(ctx, cameraId, () => ctx.store.share(cameraId, account));
}

export async function removeGuest(ctx: MqttCloudContext, req: IncomingMessage, cameraId: string, userId: string): Promise<Reply> {
  requireAdmin(ctx, req);
  return changeAccess(ctx, cameraId, () => ctx.store.revoke(cameraId, userId));
}
