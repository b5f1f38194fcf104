/**
 * The reference protocol's world control, through its admin endpoints (simulators/protocol/admin.ts), with the
 * admin token from the adapter option `adminToken`.
 */
import { adminClient, type AdminClient } from '../../../simulators/protocol/admin.ts';
import type { AdapterContext, WorldHooks } from '../types.ts';

function admin(ctx: AdapterContext): AdminClient {
  return adminClient(ctx.endpoints.target!, ctx.options.adminToken ?? '', { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
}

export const worldHooks: WorldHooks = {
  async health(ctx) {
    await admin(ctx).health();
  },
  async seed(ctx, world) {
    const shares = world.cameras.flatMap((camera) => camera.shares.map((userId) => ({ cameraId: camera.id, userId })));
    await admin(ctx).seed({
      users: world.users.map((user) => ({ userId: user.id, email: user.login, password: user.secret })),
      cameras: world.cameras.map((camera) => ({ cameraId: camera.id, secret: camera.secret, ownerId: camera.owner })),
      shares,
    });
  },
  async transfer(ctx, cameraId, toUserId) {
    await admin(ctx).apply({ kind: 'transfer', at: 0, cameraId, toUserId });
  },
  async share(ctx, cameraId, userId) {
    await admin(ctx).apply({ kind: 'share', at: 0, cameraId, userId });
  },
  async revoke(ctx, cameraId, userId) {
    await admin(ctx).apply({ kind: 'revoke', at: 0, cameraId, userId });
  },
};
