/**
 * summary.md: a short Markdown summary for a CI step summary or a pull-request comment. It leads with the
 * incident's terms (how many people were shown cameras that are not theirs, how many opened one), then the
 * checks by surface, the gates, the first leaks, and the command that repeats the run.
 */
import { formatActual } from '../oracle/gates.ts';
import { printableLine } from '../protocol/printable.ts';
import { SURFACES, describeLeak, plural } from './leak-text.ts';
import type { Reporter } from './reporter.ts';
import type { Summary } from './summary.ts';
import type { RunResult } from './result.ts';

/** Leaks listed in full; a PR comment is no place for a thousand. */
const LEAKS_LISTED = 5;

export const markdownReporter: Reporter = {
  format: 'markdown',
  file: 'summary.md',
  render: (result) => renderMarkdown(result),
};

export function renderMarkdown(result: RunResult): string {
  const { summary, evidence } = result;
  const lines: string[] = [];
  lines.push(`## Stampede ${cell(summary.scenario)}: ${verdictWord(summary)}`, '');
  lines.push(headline(summary), '');
  lines.push(
    `Seed ${summary.seed}, ${summary.world.cameras} cameras, ${summary.world.users} users, ${summary.durationS} s against ` +
      `${targetPhrase(summary.target)}${summary.bug !== 'none' ? ` with bug ${code(summary.bug)}` : ''}.`,
  );
  if (summary.interrupted) lines.push('', `**The run stopped early:** ${cell(summary.interrupted)}. Counts cover what happened until then.`);
  if (summary.verdict !== 'pass') {
    lines.push('');
    for (const reason of summary.reasons) lines.push(`- ${cell(reason)}`);
  }

  lines.push('', '| surface | items checked | leaks |', '|---|---:|---:|');
  for (const { surface, title, call } of SURFACES) {
    lines.push(`| ${title} (${code(call)}) | ${summary.checked[surface]} | ${mark(summary.leaks.bySurface[surface])} |`);
  }
  lines.push(`| probes of other users' thumbnails | ${summary.probes.sent} sent | ${mark(summary.probes.notRefused)} answered |`);

  const { events } = summary;
  lines.push('', `Events: ${events.emitted} emitted, ${events.acked} acknowledged, ${events.delivered} delivered, ${events.lost} lost; ` +
    `delivery p50 ${summary.latency.p50} ms, p99 ${summary.latency.p99} ms.` +
    (summary.reconnect.outages > 0 ? ` Reconnect after outages: p95 ${summary.reconnect.p95} ms, ${summary.reconnect.missing} cameras never came back.` : '') +
    (summary.reconnect.unhealed > 0 ? ` Reconnect unknown after ${summary.reconnect.unhealed} ${summary.reconnect.unhealed === 1 ? 'outage whose heal was' : 'outages whose heals were'} never confirmed.` : ''));

  if (summary.gates.length > 0) {
    lines.push('', '| gate | threshold | actual | result |', '|---|---|---:|---|');
    for (const gate of summary.gates) {
      lines.push(`| ${code(gate.name)} | ${code(gate.expression)} | ${formatActual(gate)} | ${gate.ok ? 'pass' : '**breached**'} |`);
    }
  }

  const workers = summary.workers ?? [];
  if (workers.length > 0) {
    lines.push('', `The fleet ran as ${workers.length} worker processes; the verdict judges the union of their observations.`, '',
      '| worker | cameras | users | records sent | records received |', '|---:|---:|---:|---:|---:|');
    for (const share of workers) {
      const sent = share.recordsSent === null ? 'unknown' : String(share.recordsSent);
      const received = share.recordsSent === share.recordsReceived ? String(share.recordsReceived) : `**${share.recordsReceived}**`;
      lines.push(`| ${share.worker} | ${share.cameras} | ${share.users} | ${sent} | ${received} |`);
    }
  }

  if (summary.leaks.total > 0) {
    const startedAt = Date.parse(summary.startedAt);
    lines.push('', `### First leaks (${Math.min(LEAKS_LISTED, evidence.length)} of ${summary.leaks.total})`, '');
    evidence.slice(0, LEAKS_LISTED).forEach((leak, i) => lines.push(`${i + 1}. ${cell(describeLeak(leak, startedAt))}`));
  }

  // A fence longer than any run of backticks in the command, so nothing in it can close the block early.
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(summary.command) + 1));
  lines.push('', 'Repeat this run:', '', `${fence}sh`, printableLine(summary.command), fence, '');
  return lines.join('\n');
}

function verdictWord(summary: Summary): string {
  if (summary.verdict === 'pass') return 'PASS';
  if (summary.verdict === 'error') return 'ERROR (no verdict)';
  return summary.leaks.total > 0 ? 'FAIL (cross-account leaks)' : 'FAIL (gates breached)';
}

function headline(summary: Summary): string {
  const { leaks } = summary;
  if (leaks.total > 0) {
    return (
      `**${leaks.recipients} ${plural(leaks.recipients, 'user was', 'users were')} shown events from cameras that are not theirs; ` +
      `${leaks.opened} of them opened one.** ${leaks.owners} ${plural(leaks.owners, 'user', 'users')} had their data shown to someone else ` +
      `(${leaks.total} leaked ${plural(leaks.total, 'item', 'items')}).`
    );
  }
  if (summary.verdict === 'pass') return `**No user was shown anything that is not theirs** (${summary.checked.total} items checked).`;
  return `No cross-account leak was seen in ${summary.checked.total} items checked${summary.verdict === 'error' ? ', but that is not enough to pass' : ''}.`;
}

function mark(n: number): string {
  return n > 0 ? `**${n}**` : '0';
}

/**
 * Text a user or a target controls, safe inside a heading, a table cell or a list item: newlines (which would end
 * it and could start a heading of their own) become spaces, other control characters escapes, pipes (which would
 * split cells) are escaped.
 */
function cell(text: string): string {
  return printableLine(text.replace(/\s*\n\s*/g, ' ')).replace(/\|/g, '\\|');
}

/** Inline code whose fence is longer than any backtick run inside, so the text cannot end the span early. */
function code(text: string): string {
  const inner = cell(text);
  const fence = '`'.repeat(longestBacktickRun(inner) + 1);
  const pad = inner.startsWith('`') || inner.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${inner}${pad}${fence}`;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

/** 'embedded' is the reference cloud; 'embedded NAME' another embedded cloud; anything else the target's address. */
function targetPhrase(target: string): string {
  if (target === 'embedded') return 'the embedded reference cloud';
  return target.startsWith('embedded ') ? `the embedded ${target.slice('embedded '.length)} cloud` : code(target);
}
