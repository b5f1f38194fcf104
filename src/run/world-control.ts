/**
 * The run's hold on who owns what, through the adapter's world hooks (an embedded cloud's own when the adapter
 * has none for seeding or health). A change kind the adapter cannot apply is never planned, and the run says so
 * in plain words: a backend nobody lets us rewrite is still stormed, only without ownership changes.
 */
import type { WorldHookName } from '../adapter/load.ts';
import type { AdapterContext, WorldHooks } from '../adapter/types.ts';
import type { AccessChange } from '../world/types.ts';
import type { ChangeApplier } from './changes.ts';

type ChangeKind = AccessChange['kind'];
const KINDS: readonly ChangeKind[] = ['transfer', 'share', 'revoke'];
const PLURAL: Readonly<Record<ChangeKind, string>> = { transfer: 'transfers', share: 'new shares', revoke: 'revocations' };

/** The planned changes the adapter can apply, in their order. */
export function applicableChanges(changes: readonly AccessChange[], hooks: readonly WorldHookName[]): AccessChange[] {
  return changes.filter((change) => hooks.includes(change.kind));
}

/**
 * What the run leaves out for want of world hooks, one plain sentence each (the console and summary.json say
 * them). Only kinds the run would plan count: the generated world has transfers and revocations.
 */
export function worldControlNotes(adapter: string, hooks: readonly WorldHookName[], planned: readonly AccessChange[]): string[] {
  if (!KINDS.some((kind) => hooks.includes(kind))) return [`no ownership changes: adapter ${adapter} has no world control`];
  const lacking = KINDS.filter((kind) => !hooks.includes(kind) && planned.some((change) => change.kind === kind));
  return lacking.map((kind) => `no ${PLURAL[kind]}: adapter ${adapter} has no world.${kind}`);
}

/** Applies changes through the world hooks, with the real endpoints (the run never plans one they lack). */
export function hookApplier(world: WorldHooks, ctx: AdapterContext): ChangeApplier {
  return {
    async apply(change) {
      if (change.kind === 'transfer') return world.transfer!(ctx, change.cameraId, change.toUserId);
      return world[change.kind]!(ctx, change.cameraId, change.userId);
    },
  };
}
