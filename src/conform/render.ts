/** The verdict as text: one line per expectation grouped by area, failures explained, a closing tally. */
import type { Result } from './expectation.ts';

const MARK = { pass: 'pass', fail: 'FAIL', skip: 'skip' } as const;

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

export function tally(results: Result[]): Tally {
  return {
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    skipped: results.filter((r) => r.status === 'skip').length,
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
  const { passed, failed, skipped } = tally(results);
  lines.push(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return `${lines.join('\n')}\n`;
}

/** A target's answer can hold newlines or a whole page; a failure stays within two screen lines. */
function oneLine(text: string, max = 220): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}
