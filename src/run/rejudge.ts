/**
 * Judges a run again from its journal, for `stampede report`: every record goes through a fresh RunObservers, as
 * it did live, so a complete run's rebuilt summary says what the live run said. A journal without the end mark
 * is a run that was killed: it is judged on what it holds and marked interrupted, so it can fail on the leaks
 * found so far or end in error, but never pass.
 */
import { UsageError } from '../errors.ts';
import type { Expectations } from '../oracle/expectations.ts';
import { GateError, parseGates, resolveGates, type Gate } from '../oracle/gates.ts';
import { recordTime } from '../oracle/oracle.ts';
import type { RunFacts } from '../report/summary.ts';
import type { HistoryRecord } from '../world/history.ts';
import { readJournal } from './journal-reader.ts';
import { RunObservers } from './observers.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { JournalHeader } from '../world/journal-header.ts';
import type { RunResult } from '../report/result.ts';

/** A run judged again, with what the journal told about its own state. */
export interface Rejudged {
  result: RunResult;
  header: JournalHeader;
  /** True when the journal holds the run's end mark. */
  complete: boolean;
  /** Unparseable lines skipped (a torn last line after a kill). */
  tornLines: number;
}

type EndMark = Extract<HistoryRecord, { type: 'end' }>;

/**
 * Rebuilds the RunResult of the journal at `path`. Gates: the ones the run recorded in its header (else the
 * scenario's), with `gateFlags` laid over them.
 */
export async function rejudge(path: string, scenarios: ReadonlyMap<string, Scenario>, gateFlags: readonly string[] = []): Promise<Rejudged> {
  let observers: RunObservers | undefined;
  let end: EndMark | undefined;
  let firstPhaseAt: number | undefined;
  let lastT = -Infinity;
  const contents = await readJournal(path, (record) => {
    if (record.type === 'end') {
      end = record;
      return;
    }
    if (record.type === 'phase') firstPhaseAt ??= record.t;
    const t = recordTime(record);
    if (t > lastT) lastT = t;
    observers!.record(record);
  }, (header) => (observers = new RunObservers(header.world, header.startedAt, expectationsOf(header))));
  const { header } = contents;
  observers ??= new RunObservers(header.world, header.startedAt, expectationsOf(header));
  const gates = gatesOf(header, scenarios, gateFlags);
  const mark = end as EndMark | undefined;
  const startedAt = mark?.startedAt ?? firstPhaseAt ?? header.startedAt;
  const endedAt = mark?.t ?? (Number.isFinite(lastT) ? lastT : header.startedAt);
  const interrupted = mark ? mark.interrupted : 'the journal has no end mark: the run was killed before it finished';
  const facts: RunFacts = {
    scenario: header.scenario,
    seed: header.seed,
    command: header.command,
    ...settingsOf(header),
    gates,
    startedAt,
    endedAt,
    ...(interrupted !== undefined ? { interrupted } : {}),
    ...(mark?.unjudged !== undefined ? { unjudged: mark.unjudged } : {}),
    ...(mark?.workers ? { workers: mark.workers } : {}),
  };
  return { result: observers.result(facts), header, complete: mark !== undefined, tornLines: contents.tornLines };
}

/** The header's settings, tolerating journals written before a setting existed. */
function settingsOf(header: JournalHeader): Omit<RunFacts, 'scenario' | 'seed' | 'command' | 'startedAt' | 'endedAt'> {
  const settings = header.settings as Record<string, unknown>;
  const text = (key: string, fallback: string) => (typeof settings[key] === 'string' ? (settings[key] as string) : fallback);
  const number = (key: string, fallback: number) => (typeof settings[key] === 'number' ? (settings[key] as number) : fallback);
  return {
    target: text('target', 'unknown'),
    bug: text('bug', 'none'),
    cameras: number('cameras', header.world.cameras.length),
    users: number('users', header.world.users.length),
    durationS: number('durationS', 0),
    ...(typeof settings.adapter === 'string' ? { adapter: settings.adapter } : {}),
    ...(Array.isArray(settings.notes) ? { notes: settings.notes.filter((note): note is string => typeof note === 'string') } : {}),
  };
}

/**
 * What the run set out to observe, as its header states it. A journal from before runs stated it has none and is
 * judged as it was then; one whose statement is unreadable is refused rather than judged without it.
 */
function expectationsOf(header: JournalHeader): Expectations | undefined {
  const stated = (header.settings as Record<string, unknown>).expect;
  if (stated === undefined) return undefined;
  if (!isExpectations(stated)) throw new UsageError('the journal\'s expectations (settings.expect) are malformed', 'point at a journal Stampede wrote, unedited');
  return stated;
}

function isExpectations(value: unknown): value is Expectations {
  const e = value as Partial<Expectations> | null;
  const share = (x: unknown) => typeof x === 'number' && x >= 0 && x <= 1;
  return (
    typeof e === 'object' && e !== null &&
    typeof e.durationMs === 'number' &&
    typeof e.fleet?.cameras === 'number' && typeof e.fleet?.users === 'number' &&
    Array.isArray(e.phases) && e.phases.every((p) => typeof p?.name === 'string' && typeof p?.startMs === 'number' && typeof p?.endMs === 'number') &&
    typeof e.connected === 'object' && e.connected !== null && Object.values(e.connected).every(share) &&
    share(e.camerasHeard) &&
    typeof e.itemsPerUser === 'object' && e.itemsPerUser !== null && ['list', 'stream', 'thumbnail', 'cameras'].every((k) => typeof (e.itemsPerUser as unknown as Record<string, unknown>)[k] === 'number') &&
    typeof e.accessChanges?.planned === 'number' && share(e.accessChanges?.share) &&
    Array.isArray(e.faults) && e.faults.every((f) => typeof f?.id === 'string' && typeof f?.label === 'string')
  );
}

function gatesOf(header: JournalHeader, scenarios: ReadonlyMap<string, Scenario>, flags: readonly string[]): Gate[] {
  const recorded = (header.settings as Record<string, unknown>).gates;
  try {
    if (recorded !== undefined && !isGateSpec(recorded)) throw new GateError('the journal\'s gates are not a list of conditions', 'fix the header or pass --gate');
    const base = recorded ?? scenarios.get(header.scenario)?.gates ?? {};
    return flags.length > 0 ? resolveGates(base, flags) : parseGates(base);
  } catch (error) {
    if (error instanceof GateError) throw new UsageError(error.message, error.hint);
    throw error;
  }
}

function isGateSpec(value: unknown): value is Record<string, string | number> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number');
}
