import { parse, type TestCase } from 'junit2json';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.ts';
import { runResult, type Shape } from './junit-fixtures.ts';

async function parsed(shape: Shape) {
  const result = runResult(shape);
  const xml = renderJunit(result);
  expect(XMLValidator.validate(xml)).toBe(true);
  const report = await parse(xml);
  if (!report || !('testsuite' in report)) throw new Error('junit.xml has no <testsuites>');
  const suites = report.testsuite ?? [];
  const cases: TestCase[] = suites.flatMap((suite) => suite.testcase ?? []);
  return { result, report, suites, cases, failed: cases.filter((c) => c.failure), errored: cases.filter((c) => c.error) };
}

const SHAPES: Shape[] = [
  {},
  { leaks: { list: 3 } },
  { leaks: { stream: 1, cameras: 2 } },
  { leaks: { thumbnail: 9 }, probeLeak: true },
  { gates: ['reconnect.p95<500ms'] },
  { gates: ['delivery.p99<1s', 'lost: <0.1%'] },
  { unknown: true },
  { unknown: true, gates: ['reconnect.p95<500ms'] },
  { interrupted: 'the journal has no end mark' },
  { interrupted: 'stopped by Ctrl-C', leaks: { list: 1 } },
  { leaks: { list: 2 }, gates: ['reconnect.p95<500ms'] },
];

describe('junit.xml', () => {
  for (const shape of SHAPES) {
    it(`has failures exactly when the verdict fails: ${JSON.stringify(shape)}`, async () => {
      const { result, report, suites, cases, failed, errored } = await parsed(shape);
      const { summary } = result;
      expect(suites).toHaveLength(1);
      expect(suites[0]!.name).toBe('storm');
      expect(failed.length > 0).toBe(summary.verdict === 'fail');
      expect(report.failures).toBe(failed.length);
      expect(suites[0]!.failures).toBe(failed.length);
      expect(suites[0]!.tests).toBe(cases.length);
      // An unjudged or cut-short run is never a clean pass in CI either.
      expect(errored.length > 0).toBe(summary.verdict === 'error' || summary.interrupted !== undefined);
      expect(report.errors).toBe(errored.length);
      for (const gate of summary.gates) expect(cases.some((c) => c.name === `gate ${gate.name} ${gate.expression}`)).toBe(true);
    });
  }

  it('names a test case for each surface, probes and each gate', async () => {
    const { cases } = await parsed({});
    const names = cases.map((c) => c.name);
    for (const surface of ['event lists', 'the live stream', 'thumbnails', 'camera lists']) {
      expect(names).toContain(names.find((n) => n?.startsWith(`no cross-account leak in ${surface} (`)));
    }
    expect(names).toContain("probes of other users' thumbnails are refused");
    expect(names).toContain('gate reconnect.p95 < 20s');
    expect(cases.every((c) => !c.failure && !c.error)).toBe(true);
  });

  it('puts the first leaks in readable text in the failing surface only, one-line messages', async () => {
    const all = await parsed({ leaks: { list: 7, cameras: 1 } });
    // The leaks gate fails too; the surfaces without leaks do not.
    expect(all.failed.map((c) => c.name)).toContain('gate leaks == 0');
    const failed = all.failed.filter((c) => c.classname === 'storm.leaks');
    expect(failed.map((c) => c.name)).toEqual(['no cross-account leak in event lists (GET /v1/events)', 'no cross-account leak in camera lists (GET /v1/cameras)']);
    const list = failed[0]!.failure![0]!;
    expect(list.message).toBe('7 items in event lists shown to a user who had no access');
    const lines = list.inner!.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(
      'u-000000 was shown event e-0 of camera c-0 (owner u-000900) via GET /v1/events, call 10.0-10.1 s, at 2025-01-01T12:00:10.050Z, ' +
        'phase storm, latency on cache; access broken at acceptance',
    );
    expect(lines[5]).toBe('... and 2 more (see summary.json and journal.ndjson)');
    expect(failed[1]!.failure![0]!.inner).toContain('was shown camera c-7 (owner u-000900) via GET /v1/cameras');
  });

  it('fails the probe case on a probe that got data, and names a breached gate with its value', async () => {
    const probe = await parsed({ leaks: { thumbnail: 2 }, probeLeak: true });
    const probeCase = probe.failed.find((c) => c.name?.startsWith('probes'));
    expect(probeCase?.failure?.[0]?.message).toBe('1 of 20 probes were answered with data');
    expect(probeCase?.failure?.[0]?.inner).toContain('(a probe)');
    const gate = await parsed({ gates: ['reconnect.p95<500ms'] });
    expect(gate.failed.map((c) => [c.name, c.failure?.[0]?.message])).toEqual([['gate reconnect.p95 < 500ms', 'gate reconnect.p95 < 500ms breached: it was 900 ms']]);
  });

  it('shows an unjudged run as an error with its reasons, and its breached gates as errors too', async () => {
    const { errored, failed } = await parsed({ unknown: true, gates: ['reconnect.p95<500ms'] });
    expect(failed).toHaveLength(0);
    expect(errored.map((c) => c.name)).toEqual(['the run was observed enough to be judged', 'gate reconnect.p95 < 500ms']);
    expect(errored[0]!.error![0]!.inner).toContain('only 0 thumbnails checked');
  });

  it('keeps hostile text well-formed', async () => {
    const result = runResult({ leaks: { list: 1 } });
    result.evidence[0]!.recipient = 'u-<script>&"\u0001';
    result.summary.command = 'bin/stampede run storm ]]> <x>';
    const xml = renderJunit(result);
    expect(XMLValidator.validate(xml)).toBe(true);
    const report = await parse(xml);
    const testcase = (report as { testsuite: { testcase: TestCase[] }[] }).testsuite[0]!.testcase.find((c) => c.failure)!;
    expect(testcase.failure![0]!.inner).toContain('u-<script>&"\uFFFD was shown');
  });
});
