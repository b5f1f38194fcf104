/** The verdict as text: one line per expectation grouped by area, failures explained, a closing tally. */
import type { Result } from './expectation.ts';

const MARK = { pass: 'pass', fail: 'FAIL', warn: 'warn', skip: 'skip', error: 'ERR!' } as const;

export interface Tally {
  passed: number;
  failed: number;
  /** Warning-severity expectations that did not hold: listed, never a failure. */
  warned: number;
  skipped: number;
  /** Expectations the adapter could not check (a hook threw or answered in the wrong shape): no verdict. */
  errors: number;
}

export function tally(results: Result[]): Tally {
  return {
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    warned: results.filter((r) => r.status === 'warn').length,
    skipped: results.filter((r) => r.status === 'skip').length,
    errors: results.filter((r) => r.status === 'error').length,
  };
}

export function renderResults(results: Result[]): string {
  const lines: string[] = [];
  let area: string | undefined;
  for (const result of results) {
    if (result.area !== area) {
      area = result.area;
      lines.push(area);
    }
    lines.push(`  ${MARK[result.status]}  ${result.name}`);
    if (result.detail !== undefined && result.status !== 'pass') lines.push(`        ${oneLine(result.detail)}`);
  }
  const { passed, failed, warned, skipped, errors } = tally(results);
  // Only an adapter run can have errors; the protocol's tally line stays as scripts know it.
  const errorCount = errors === 0 ? '' : `, ${errors} ${errors === 1 ? 'error' : 'errors'} (no verdict)`;
  lines.push(`${passed} passed, ${failed} failed, ${warned} ${warned === 1 ? 'warning' : 'warnings'}, ${skipped} skipped${errorCount}`);
  return `${lines.join('\n')}\n`;
}

/** A target's answer can hold newlines or a whole page; a failure stays within two screen lines. */
function oneLine(text: string, max = 220): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}
