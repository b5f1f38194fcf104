/**
 * The reference protocol's world control, as adapter world hooks: health, seeding and access changes through the
 * admin API (docs/protocol.md), with the admin token from `ctx.options.adminToken`. The run calls these with the real
 * endpoint, never the proxy, so an injected outage cannot stop it changing who owns what.
 */
import { adminClient } from '../../../simulators/protocol/admin.ts';
import { UsageError } from '../../errors.ts';
import type { AdapterContext, WorldHooks, WorldSeedView } from '../types.ts';
import type { WorldSeed } from '../../protocol/schema.ts';

function admin(ctx: AdapterContext) {
  const token = ctx.options.adminToken;
  if (!token) throw new UsageError('the reference adapter\'s world control needs the admin token', 'pass --admin-token T or set STAMPEDE_ADMIN_TOKEN');
  return adminClient(ctx.endpoints.target!, token, { signal: ctx.signal, timeoutMs: ctx.timeoutMs });
}

/** The seed body of `PUT /v1/admin/world` for a world as adapters see it. */
export function seedOf(world: WorldSeedView): WorldSeed {
  return {
    users: world.users.map(({ id, login, secret }) => ({ userId: id, email: login, password: secret })),
    cameras: world.cameras.map(({ id, secret, owner }) => ({ cameraId: id, secret, ownerId: owner })),
    shares: world.cameras.flatMap(({ id, shares }) => shares.map((userId) => ({ cameraId: id, userId }))),
  };
}

export const referenceWorld: Required<WorldHooks> = {
  async health(ctx) {
    await admin(ctx).health();
  },
  async seed(ctx, world) {
    await admin(ctx).seed(seedOf(world));
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
