import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { UsageError } from '../../src/errors.ts';
import type { Expectations } from '../../src/oracle/expectations.ts';
import { resolveGates } from '../../src/oracle/gates.ts';
import { Journal } from '../../src/run/journal.ts';
import { RunObservers } from '../../src/run/observers.ts';
import { rejudge } from '../../src/run/rejudge.ts';
import type { HistoryRecord } from '../../src/world/history.ts';
import { cameras, emit, refused, shown, T, thumbnail, tinyWorld } from '../oracle/fixtures.ts';
import type { JournalHeader } from '../../src/world/journal-header.ts';

const GATES = { leaks: 0, 'delivery.p99': '<2s' };

function header(settings: Record<string, unknown> = { gates: GATES }): JournalHeader {
  return {
    type: 'run',
    version: 1,
    startedAt: T - 5000,
    scenario: 'storm',
    seed: 5,
    command: 'bin/stampede run storm --seed 5',
    settings: { target: 'embedded', bug: 'none', cameras: 2, users: 3, durationS: 20, ...settings },
    world: tinyWorld(),
  };
}

/** alice's camera, seen by its owner and its sharee on every surface; bob probes it and is refused. */
function cleanHistory(): HistoryRecord[] {
  return [
    { type: 'phase', t: T, name: 'warm-up' },
    ...emit('camA', 'e1', 100),
    shown('stream', 'alice', 300, [['e1', 'camA']]),
    shown('list', 'carol', 900, [['e1', 'camA']]),
    thumbnail('alice', 1000, 'e1', 'camA'),
    cameras('carol', 1100, [['camA', 'shared']]),
    refused('bob', 1200, 'e1'),
  ];
}

const bobSeesCamA: HistoryRecord = shown('list', 'bob', 1500, [['e1', 'camA']]);
const END: HistoryRecord = { type: 'end', t: T + 20_000, startedAt: T };

async function journalOf(records: HistoryRecord[], head = header()): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'rejudge-')), 'journal.ndjson');
  const journal = new Journal(path, head);
  for (const record of records) journal.record(record);
  await journal.close();
  return path;
}

/** What the live run would have said on the same records. */
function live(records: HistoryRecord[], gates = GATES) {
  const observers = new RunObservers(tinyWorld(), T - 5000);
  for (const record of records) observers.record(record);
  const h = header();
  return observers.result({
    scenario: 'storm', seed: 5, command: h.command, target: 'embedded', bug: 'none', cameras: 2, users: 3, durationS: 20,
    gates: resolveGates(gates), startedAt: T, endedAt: T + 20_000,
  });
}

describe('rejudge', () => {
  it('a complete run says again exactly what it said live', async () => {
    for (const records of [cleanHistory(), [...cleanHistory(), bobSeesCamA]]) {
      const { result, complete } = await rejudge(await journalOf([...records, END]), scenarios);
      expect(complete).toBe(true);
      expect(result.summary).toEqual(live(records).summary);
      expect(result.evidence).toEqual(live(records).evidence);
    }
    const { result } = await rejudge(await journalOf([...cleanHistory(), END]), scenarios);
    expect(result.summary.verdict).toBe('pass');
  });

  it('a killed run with no leak so far is an error, never a pass', async () => {
    const { result, complete } = await rejudge(await journalOf(cleanHistory()), scenarios);
    expect(complete).toBe(false);
    expect(result.summary.verdict).toBe('error');
    expect(result.summary.interrupted).toMatch(/no end mark/);
    expect(result.summary.reasons[0]).toMatch(/^the run stopped early: the journal has no end mark/);
    // The end of a killed run is its last record.
    expect(result.summary.endedAt).toBe(new Date(T + 1200).toISOString());
    expect(result.summary.startedAt).toBe(new Date(T).toISOString());
  });

  it('a killed run with leaks so far fails on them, and a torn last line is skipped', async () => {
    const path = await journalOf([...cleanHistory(), bobSeesCamA]);
    appendFileSync(path, '{"type":"shown","surface":"li');
    const { result, tornLines } = await rejudge(path, scenarios);
    expect(tornLines).toBe(1);
    expect(result.summary.verdict).toBe('fail');
    expect(result.summary.leaks.total).toBe(1);
    expect(result.evidence[0]).toMatchObject({ recipient: 'bob', cameraId: 'camA', eventId: 'e1', surface: 'list' });
    expect(result.summary.interrupted).toBeDefined();
  });

  it('an end mark carrying an interruption keeps it', async () => {
    const { result } = await rejudge(await journalOf([...cleanHistory(), { type: 'end', t: T + 3000, startedAt: T, interrupted: 'stopped by Ctrl-C' }]), scenarios);
    expect(result.summary).toMatchObject({ verdict: 'error', interrupted: 'stopped by Ctrl-C' });
  });

  it('a run judged out of time order has no verdict, its leaks kept but not claimed, live and rebuilt alike', async () => {
    const unjudged = '900 of 9000 records (10.0%) reached the judge more than 3 s after they were made: the workers fell behind their fleet';
    const { result } = await rejudge(await journalOf([...cleanHistory(), bobSeesCamA, { ...END, interrupted: 'run failed', unjudged }]), scenarios);
    expect(result.summary.verdict).toBe('error');
    expect(result.summary.leaks.total).toBe(1);
    expect(result.evidence[0]).toMatchObject({ recipient: 'bob', cameraId: 'camA' });
    expect(result.summary.reasons[0]).toBe(`not judged: ${unjudged}; the leaks and figures below are what the oracle made of them out of order, right or wrong`);
  });

  it('keeps each worker\'s share the end mark carries', async () => {
    const workers = [
      { worker: 1, cameras: 1, users: 2, recordsSent: 4, recordsReceived: 4 },
      { worker: 2, cameras: 1, users: 1, recordsSent: null, recordsReceived: 3 },
    ];
    const { result } = await rejudge(await journalOf([...cleanHistory(), { ...END, workers }] as HistoryRecord[]), scenarios);
    expect(result.summary.workers).toEqual(workers);
    const without = await rejudge(await journalOf([...cleanHistory(), END]), scenarios);
    expect(without.result.summary.workers).toEqual([]);
  });

  it('holds the run to the gates in its header, with --gate over them, else to the scenario\'s', async () => {
    const records = [...cleanHistory(), END];
    const recorded = await rejudge(await journalOf(records), scenarios);
    expect(recorded.result.summary.gates.map((g) => `${g.name} ${g.expression}`)).toEqual(['leaks == 0', 'delivery.p99 < 2s']);
    const tightened = await rejudge(await journalOf(records), scenarios, ['delivery.p99<1ms']);
    expect(tightened.result.summary.verdict).toBe('fail');
    expect(tightened.result.summary.reasons.at(-1)).toMatch(/^gate delivery\.p99 < 1ms breached: it was \d+ ms$/);
    const older = await rejudge(await journalOf(records, header({})), scenarios);
    expect(older.result.summary.gates.map((g) => g.name)).toEqual(Object.keys(scenarios.get('storm')!.gates ?? {}));
  });

  it('holds the run to the expectations in its header, saying what the live run said', async () => {
    const expect_: Expectations = {
      durationMs: 20_000,
      fleet: { cameras: 2, users: 3 },
      phases: [{ name: 'warm-up', startMs: 0, endMs: 20_000 }],
      connected: { 'warm-up': 0.3 },
      camerasHeard: 0.5,
      itemsPerUser: { list: 0, stream: 0, thumbnail: 0, cameras: 0 },
      accessChanges: { planned: 0, share: 0.9 },
      faults: [{ id: 'f1-outage', label: 'phase outage, fault 1' }],
    };
    const path = await journalOf([...cleanHistory(), END], header({ gates: GATES, expect: expect_ }));
    const { result } = await rejudge(path, scenarios);
    const observers = new RunObservers(tinyWorld(), T - 5000, expect_);
    for (const record of cleanHistory()) observers.record(record);
    const liveSummary = observers.result({
      scenario: 'storm', seed: 5, command: header().command, target: 'embedded', bug: 'none', cameras: 2, users: 3, durationS: 20,
      gates: resolveGates(GATES), startedAt: T, endedAt: T + 20_000,
    }).summary;
    expect(result.summary).toEqual(liveSummary);
    expect(result.summary.verdict).toBe('error');
    expect(result.summary.shortfalls).toEqual([
      'fault f1-outage (phase outage, fault 1) was never applied: Toxiproxy never confirmed it',
      'phase warm-up: on average 0% of the 2 cameras were connected (at least 30% needed)',
    ]);
    expect(result.summary.reasons.slice(0, 2)).toEqual(result.summary.shortfalls);
    await expect(rejudge(await journalOf([END], header({ gates: GATES, expect: { ...expect_, camerasHeard: 'most' } })), scenarios)).rejects.toThrow(
      /expectations \(settings\.expect\) are malformed/,
    );
  });

  it('a journal with unreadable gates or no header is a usage error', async () => {
    await expect(rejudge(await journalOf([END], header({ gates: { 'delivery.p99': '<2 parsecs' } })), scenarios)).rejects.toThrow(UsageError);
    await expect(rejudge(await journalOf([END], header({ gates: ['leaks'] })), scenarios)).rejects.toThrow(/gates are not a list of conditions/);
    const empty = join(mkdtempSync(join(tmpdir(), 'rejudge-')), 'journal.ndjson');
    writeFileSync(empty, '{"type":"phase","t":1,"name":"x"}\n');
    await expect(rejudge(empty, scenarios)).rejects.toThrow(/first line does not describe a run/);
  });
});
