/**
 * Conformance through an adapter: every area its hooks can express, run by the same runner as the protocol's
 * areas, so results, severities, skips and bounds read the same. What the adapter cannot express is a skip naming
 * the hook it lacks; what it fails at is an error naming it, never a pass.
 */
import type { Adapter } from '../../adapter/types.ts';
import { UnavailableError, UsageError } from '../../errors.ts';
import type { Accounts } from '../../world/accounts.ts';
import { NoVerdict } from '../expectation.ts';
import { DEFAULT_GRACE_MS, DEFAULT_TIMEOUT_MS, runAreas, runDeadlineOf, type ConformReport } from '../runner.ts';
import { ADAPTER_AREAS } from './areas/index.ts';
import { castFromAccounts } from './cast.ts';
import { AdapterSubject } from './subject.ts';

export interface AdapterConformOptions {
  adapter: Adapter;
  /** The backend's endpoints by the adapter's names. */
  endpoints: Record<string, string>;
  /** `--adapter-option` values, as the hooks get them in `ctx.options`. */
  options: Record<string, string>;
  /** Accounts that exist on the backend (`--world`); required when the adapter has no `world.seed`. */
  accounts?: Accounts;
  timeoutMs?: number;
  graceMs?: number;
  runTimeoutMs?: number;
}

export async function runAdapterConformance(options: AdapterConformOptions): Promise<ConformReport> {
  const { adapter } = options;
  const subject = new AdapterSubject(adapter, {
    endpoints: options.endpoints,
    options: options.options,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
    accounts: options.accounts,
  });
  if (!subject.has('world.seed') && options.accounts === undefined) {
    throw new UsageError(`adapter ${adapter.name} has no world.seed`, 'give the accounts that exist on the backend with --world FILE (bin/stampede world template writes one)');
  }
  // A world file without the pair conform plays with is one usage line, not a setup failure in every area.
  if (options.accounts) castFromAccounts(options.accounts);
  await probe(subject);
  return { results: await runAreas(subject, ADAPTER_AREAS, runDeadlineOf(options)) };
}

/** `world.health` once up front, when the adapter has it, so an unreachable backend is one line, not thirty. */
async function probe(subject: AdapterSubject): Promise<void> {
  if (!subject.has('world.health')) return;
  try {
    await subject.call('world.health', () => subject.adapter.world!.health!(subject.ctx));
  } catch (error) {
    subject.finish();
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof NoVerdict) throw new UnavailableError(reason, 'fix the adapter\'s world.health hook');
    throw new UnavailableError(`cannot reach the backend through adapter ${subject.name}: ${reason}`, 'is it running, and are --target and --adapter-option right?');
  }
}
