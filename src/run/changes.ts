/**
 * Applies the world's planned access changes (transfers, shares, revocations) at their times through the admin
 * API, and records when each really took effect. The oracle judges against these records, not against the plan:
 * a change whose call failed is recorded with ok: false, since it may or may not have happened.
 */
import type { Recorder } from '../world/history.ts';
import type { AccessChange } from '../world/types.ts';
import { sleepUntil } from './time.ts';

export interface ChangeApplier {
  apply(change: AccessChange): Promise<void>;
}

/** Applies `changes` (sorted by `at`, ms after `startedAt`) one after another; resolves when done or aborted. */
export async function applyChanges(
  changes: readonly AccessChange[],
  admin: ChangeApplier,
  recorder: Recorder,
  startedAt: number,
  signal: AbortSignal,
): Promise<{ applied: number; failed: number }> {
  let applied = 0;
  let failed = 0;
  for (const change of changes) {
    if (!(await sleepUntil(startedAt + change.at, signal))) break;
    const start = Date.now();
    try {
      await admin.apply(change);
      applied += 1;
      recorder.record({ type: 'access', start, end: Date.now(), change, ok: true });
    } catch (error) {
      failed += 1;
      const end = Date.now();
      recorder.record({ type: 'access', start, end, change, ok: false });
      // A call cut short by Ctrl-C may or may not have taken effect (hence ok: false), but the target did nothing wrong.
      if (signal.aborted) break;
      recorder.record({ type: 'error', t: end, source: 'admin', message: (error as Error).message, cameraId: change.cameraId });
    }
  }
  return { applied, failed };
}
