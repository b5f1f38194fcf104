import { describe, expect, it } from 'vitest';
import { ExitCode, UnavailableError, UsageError } from '../../src/errors.ts';
import type { GateResult } from '../../src/oracle/gates.ts';
import { decide, exitCodeOfVerdict, type VerdictInputs } from '../../src/verdict/decide.ts';

const clean: VerdictInputs['oracle'] = { status: 'pass', reasons: ['900 items checked, no leak'], leaks: { total: 0, recipients: 0, owners: 0, opened: 0, bySurface: { list: 0, stream: 0, thumbnail: 0, cameras: 0 } } };
const leaked: VerdictInputs['oracle'] = {
  status: 'fail',
  reasons: ['2 cross-account leaks: users were shown data that was not theirs', 'some detail'],
  leaks: { total: 2, recipients: 1, owners: 1, opened: 0, bySurface: { list: 2, stream: 0, thumbnail: 0, cameras: 0 } },
};
const unknown: VerdictInputs['oracle'] = { ...clean, status: 'unknown', reasons: ['only 0 thumbnails checked (at least 1 needed)'] };
const held: GateResult = { name: 'lost', expression: '< 0.1%', actual: 0, unit: '%', ok: true };
const breached: GateResult = { name: 'reconnect.p95', expression: '< 20s', actual: 31_000, unit: 'ms', ok: false };

function inputs(overrides: Partial<VerdictInputs> = {}): VerdictInputs {
  return { oracle: clean, shortfalls: [], gates: [held], ...overrides };
}

describe('decide', () => {
  it('passes a clean run that observed what it set out to, within its gates', () => {
    expect(decide(inputs())).toEqual({ verdict: 'pass', reasons: ['900 items checked, no leak'], exitCode: ExitCode.ok });
  });

  it('records judged out of time order leave no verdict, neither a leak\'s nor a pass: the leaks stay among the reasons', () => {
    const late = '90 of 900 records (10.0%) reached the judge more than 3 s after they were made';
    for (const oracle of [leaked, clean]) {
      const decision = decide(inputs({ oracle, interrupted: 'run failed', unjudged: late }));
      expect(decision.verdict).toBe('error');
      expect(decision.exitCode).toBe(ExitCode.unavailable);
      expect(decision.reasons[0]).toMatch(/^not judged: 90 of 900 records .* right or wrong$/);
      expect(decision.reasons[1]).toBe('the run stopped early: run failed');
      if (oracle === leaked) expect(decision.reasons).toContain('2 cross-account leaks: users were shown data that was not theirs');
    }
  });

  it('a leak beats everything: shortfalls, interruption, unwritten output and breached gates still fail it', () => {
    const decision = decide(inputs({
      oracle: leaked, shortfalls: ['no access change applied'], gates: [breached], interrupted: 'stopped by Ctrl-C', unwritten: ['could not write journal.ndjson'],
    }));
    expect(decision.verdict).toBe('fail');
    expect(decision.exitCode).toBe(ExitCode.failed);
    expect(decision.reasons).toEqual([
      'could not write journal.ndjson',
      'the run stopped early: stopped by Ctrl-C',
      '2 cross-account leaks: users were shown data that was not theirs',
      'no access change applied',
      'some detail',
      'gate reconnect.p95 < 20s breached: it was 31,000 ms',
    ]);
  });

  it.each([
    ['a shortfall', { shortfalls: ['only 10% of cameras heard'] }],
    ['an interruption', { interrupted: 'stopped by Ctrl-C' }],
    ['unwritten output', { unwritten: ['could not write journal.ndjson'] }],
  ] as const)('%s turns a pass into an error (exit 3)', (_, overrides) => {
    const decision = decide(inputs(overrides));
    expect(decision.verdict).toBe('error');
    expect(decision.exitCode).toBe(ExitCode.unavailable);
    expect(decision.reasons).toContain('900 items checked, no leak');
  });

  it('a breached gate turns a pass into a fail and says which gate', () => {
    const decision = decide(inputs({ gates: [held, breached] }));
    expect(decision.verdict).toBe('fail');
    expect(decision.exitCode).toBe(ExitCode.failed);
    expect(decision.reasons.at(-1)).toMatch(/^gate reconnect\.p95 < 20s breached/);
  });

  it('an error stays an error when a gate is breached: its figures may be incomplete', () => {
    for (const overrides of [{ oracle: unknown }, { shortfalls: ['no fault applied'] }, { interrupted: 'starting the fleet failed' }]) {
      const decision = decide(inputs({ ...overrides, gates: [breached] }));
      expect(decision.verdict).toBe('error');
      expect(decision.exitCode).toBe(ExitCode.unavailable);
    }
  });
});

describe('exitCodeOfVerdict', () => {
  it('maps each verdict, then Ctrl-C and a failed step over it', () => {
    expect([exitCodeOfVerdict('pass'), exitCodeOfVerdict('fail'), exitCodeOfVerdict('error')]).toEqual([0, 1, 3]);
    expect(exitCodeOfVerdict('fail', { stopped: true, failure: { error: new UsageError('x') } })).toBe(ExitCode.interrupted);
    expect(exitCodeOfVerdict('pass', { failure: { error: new UnavailableError('disk full') } })).toBe(ExitCode.unavailable);
  });

  it('reports a step that failed unexpectedly as could-not-run (3), never as bad usage', () => {
    expect(exitCodeOfVerdict('pass', { failure: { error: new TypeError('undefined is not a function') } })).toBe(ExitCode.unavailable);
    expect(exitCodeOfVerdict('pass', { failure: { error: undefined } })).toBe(ExitCode.unavailable);
  });
});

describe('adapter faults', () => {
  it('make a clean run an error while a leak still fails, the reason naming the adapter and hook, from the history alone', async () => {
    const { ObservedRun, adapterFaultReason } = await import('../../src/oracle/observed.ts');
    const observed = new ObservedRun(1, 10_000);
    observed.observe({ type: 'error', t: 1, source: 'target', message: 'ECONNRESET' });
    observed.observe({ type: 'error', t: 2, source: 'adapter acme: users.events', message: 'events is not an array' });
    observed.observe({ type: 'error', t: 3, source: 'adapter acme: users.events', message: 'again', count: 4 });
    const faults = observed.observed(10).adapterFaults.map(adapterFaultReason);
    expect(faults).toEqual([expect.stringMatching(/^the adapter acme failed in users\.events 5 times \(first: events is not an array\): .*no verdict/)]);
    for (const [oracle, verdict, exitCode] of [[clean, 'error', ExitCode.unavailable], [leaked, 'fail', ExitCode.failed]] as const) {
      const decision = decide(inputs({ oracle, adapterFaults: faults }));
      expect(decision.verdict).toBe(verdict);
      expect(decision.exitCode).toBe(exitCode);
      expect(decision.reasons).toContain(faults[0]);
    }
    expect(decide(inputs({ adapterFaults: [] })).verdict).toBe('pass');
  });
});
