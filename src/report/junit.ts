/**
 * junit.xml, for CI test tabs: one test suite per scenario, with a test case for "no cross-account leak" on each
 * surface, one for refused probes, one per gate and one saying whether the run could be judged at all.
 * A failure appears exactly when the verdict is `fail`; a run that could not be judged shows a JUnit <error>,
 * never a pass. Each failure's body holds its first leaks in readable text.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { formatActual } from '../oracle/gates.ts';
import type { LeakEvidence } from '../oracle/verdict.ts';
import { SURFACES, describeLeak } from './leak-text.ts';
import type { Reporter } from './reporter.ts';
import type { Summary } from './summary.ts';
import type { RunResult } from './result.ts';

/** Leaks written out in full in one failure; the message counts them all. */
const LEAKS_PER_FAILURE = 5;

/** A failure or error: `type` says which kind of check (leak, probe, gate, verdict). */
interface Outcome {
  type: string;
  message: string;
  body: string;
}

interface TestCase {
  name: string;
  classname: string;
  failure?: Outcome;
  error?: Outcome;
}

export const junitReporter: Reporter = {
  format: 'junit',
  file: 'junit.xml',
  render: (result) => renderJunit(result),
};

export function renderJunit(result: RunResult): string {
  const { summary } = result;
  const cases = testCases(result);
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const time = Math.max(0, (Date.parse(summary.endedAt) - Date.parse(summary.startedAt)) / 1000).toFixed(3);
  const counts = { '@_tests': cases.length, '@_failures': failures, '@_errors': errors, '@_time': time };
  const properties = Object.entries({
    verdict: summary.verdict,
    seed: summary.seed,
    command: summary.command,
    target: summary.target,
    bug: summary.bug,
    cameras: summary.world.cameras,
    users: summary.world.users,
    ...(summary.interrupted ? { interrupted: summary.interrupted } : {}),
  }).map(([name, value]) => ({ '@_name': name, '@_value': clean(String(value)) }));
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': 'stampede',
      ...counts,
      testsuite: [
        {
          '@_name': clean(summary.scenario),
          ...counts,
          '@_skipped': 0,
          '@_timestamp': summary.startedAt,
          properties: { property: properties },
          testcase: cases.map(toXml),
        },
      ],
    },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });
  return builder.build(document) as string;
}

function testCases(result: RunResult): TestCase[] {
  const { summary, evidence } = result;
  const startedAt = Date.parse(summary.startedAt);
  const suite = summary.scenario;
  const cases: TestCase[] = [judgedCase(summary)];
  for (const { surface, title, call } of SURFACES) {
    const count = summary.leaks.bySurface[surface];
    const leaks = evidence.filter((leak) => leak.surface === surface);
    cases.push({
      name: `no cross-account leak in ${title} (${call})`,
      classname: `${suite}.leaks`,
      ...(count > 0
        ? { failure: { type: 'leak', message: `${count} ${count === 1 ? 'item' : 'items'} in ${title} shown to a user who had no access`, body: leakBody(leaks, count, startedAt) } }
        : {}),
    });
  }
  const probeLeaks = evidence.filter((leak) => leak.call.probe === true);
  const probeGate = summary.gates.find((gate) => gate.name === 'probes.notRefused' && !gate.ok);
  const probeCase: TestCase = { name: "probes of other users' thumbnails are refused", classname: `${suite}.probes` };
  if (probeLeaks.length > 0) {
    probeCase.failure = { type: 'probe', message: `${summary.probes.notRefused} of ${summary.probes.sent} probes were answered with data`, body: leakBody(probeLeaks, probeLeaks.length, startedAt) };
  } else if (probeGate) {
    probeCase[summary.verdict === 'fail' ? 'failure' : 'error'] = {
      type: 'gate',
      message: `${summary.probes.notRefused} of ${summary.probes.sent} probes were answered (gate probes.notRefused ${probeGate.expression})`,
      body: '',
    };
  }
  cases.push(probeCase);
  for (const gate of summary.gates) {
    const testCase: TestCase = { name: `gate ${gate.name} ${gate.expression}`, classname: `${suite}.gates` };
    if (!gate.ok) {
      // An unjudged run's breaches are reported, but as errors: its figures may be incomplete.
      const outcome = { type: 'gate', message: `gate ${gate.name} ${gate.expression} breached: it was ${formatActual(gate)}`, body: '' };
      testCase[summary.verdict === 'fail' ? 'failure' : 'error'] = outcome;
    }
    cases.push(testCase);
  }
  return cases;
}

/** Whether the run could be judged: an error verdict, or a run that stopped early, is a JUnit error here. */
function judgedCase(summary: Summary): TestCase {
  const testCase: TestCase = { name: 'the run was observed enough to be judged', classname: `${summary.scenario}.verdict` };
  if (summary.verdict === 'error' || summary.interrupted) {
    const message = summary.interrupted ? `the run stopped early: ${summary.interrupted}` : `no verdict: ${summary.reasons[0] ?? 'too little observed or the checker failed'}`;
    testCase.error = { type: 'verdict', message, body: summary.reasons.join('\n') };
  }
  return testCase;
}

function leakBody(leaks: LeakEvidence[], total: number, startedAt: number): string {
  const lines = leaks.slice(0, LEAKS_PER_FAILURE).map((leak) => describeLeak(leak, startedAt));
  if (total > lines.length) lines.push(`... and ${total - lines.length} more (see summary.json and journal.ndjson)`);
  return lines.join('\n');
}

function toXml(testCase: TestCase): Record<string, unknown> {
  const outcome = (detail: Outcome) => ({
    '@_message': clean(detail.message).replace(/\s*\n\s*/g, ' '),
    '@_type': detail.type,
    ...(detail.body ? { '#text': clean(detail.body) } : {}),
  });
  return {
    '@_name': clean(testCase.name),
    '@_classname': clean(testCase.classname),
    '@_time': 0,
    ...(testCase.failure ? { failure: outcome(testCase.failure) } : {}),
    ...(testCase.error ? { error: outcome(testCase.error) } : {}),
  };
}

/** XML 1.0 cannot carry most control characters even escaped; ids and messages from a target might hold them. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}
