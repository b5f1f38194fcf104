/**
 * The end-of-run summary on the console, in the incident's terms: how many people were shown someone else's
 * cameras, how many opened what they saw, whose data went where, and what to look at next.
 */
import { formatActual } from '../oracle/gates.ts';
import type { Summary } from './summary.ts';

/** `unwritten`: the files of the run folder that could not be written, so the summary never points at one. */
export function consoleSummary(summary: Summary, outDir: string, unwritten: readonly string[] = []): string {
  const { leaks, checked, events } = summary;
  const lines: string[] = [];
  const headline =
    summary.verdict === 'pass' ? 'PASS: no user was shown anything that is not theirs' : summary.verdict === 'fail'
        ? summary.leaks.total > 0 ? 'FAIL: cross-account leaks' : 'FAIL: gates breached'
        // The first line says why: a dead target, a fault never applied, too little observed.
        : `ERROR: ${summary.reasons[0] ?? 'no verdict'}`;
  lines.push(`${headline} (scenario ${summary.scenario}, seed ${summary.seed}, ${summary.world.cameras} cameras, ${summary.world.users} users)`);
  if (leaks.total > 0) {
    lines.push(
      `${leaks.recipients} ${plural(leaks.recipients, 'user was', 'users were')} shown events from cameras that are not theirs; ${leaks.opened} of them opened one.`,
    );
    lines.push(`${leaks.owners} ${plural(leaks.owners, 'user', 'users')} had their data shown to someone else; ${leaks.total} leaked ${plural(leaks.total, 'item', 'items')}: ` +
      `${leaks.bySurface.list} in event lists, ${leaks.bySurface.stream} pushed, ${leaks.bySurface.thumbnail} thumbnails, ${leaks.bySurface.cameras} in camera lists.`);
    const first = summary.evidence[0];
    if (first) {
      const faults = first.faults.length ? first.faults.map((f) => `${f.fault} on ${f.path}`).join(', ') : 'no fault active';
      lines.push(`first leak: ${first.recipient} was shown ${first.eventId ?? first.cameraId} of ${first.cameraId} (owner ${first.owners.join('/') || 'unknown'}) ` +
        `via ${first.surface} in phase ${first.phase ?? '-'}, ${faults}`);
    }
  }
  for (const reason of summary.reasons) lines.push(`  - ${reason}`);
  for (const note of summary.notes ?? []) lines.push(`note: ${note}`);
  lines.push(`checked ${checked.total} items (${checked.list} listed, ${checked.stream} pushed, ${checked.thumbnail} thumbnails, ${checked.cameras} camera-list entries)`);
  lines.push(`events: ${events.emitted} emitted, ${events.acked} acknowledged, ${events.delivered} delivered, ${events.lost} lost; ` +
    `delivery p50 ${summary.latency.p50} ms, p99 ${summary.latency.p99} ms`);
  if (summary.reconnect.outages > 0) {
    const { p50, p95, max } = summary.reconnect;
    lines.push(`reconnect after ${summary.reconnect.outages} ${plural(summary.reconnect.outages, 'outage', 'outages')}: p50 ${ms(p50)}, ` +
      `p95 ${ms(p95)}, max ${ms(max)}; ${summary.reconnect.missing} never came back`);
  }
  const { unhealed } = summary.reconnect;
  if (unhealed > 0) lines.push(`reconnect unknown after ${unhealed} ${plural(unhealed, 'outage whose heal was', 'outages whose heals were')} never confirmed`);
  if (summary.mismatches + summary.unknown + summary.duplicates + summary.roleErrors > 0) {
    lines.push(`also: ${summary.mismatches} content mismatches, ${summary.unknown} unknown items, ${summary.duplicates} duplicates, ${summary.roleErrors} wrong roles`);
  }
  const breached = summary.gates.filter((gate) => !gate.ok);
  if (summary.gates.length > 0) {
    lines.push(`gates: ${summary.gates.length - breached.length} of ${summary.gates.length} held` +
      (breached.length > 0 ? `; breached: ${breached.map((gate) => `${gate.name} ${gate.expression} (was ${formatActual(gate)})`).join(', ')}` : ''));
  }
  lines.push(`probes of other people's thumbnails: ${summary.probes.sent} sent, ${summary.probes.refused} refused, ${summary.probes.notRefused} answered`);
  if (summary.load) {
    const { requests, latency } = summary.load;
    lines.push(`users' requests (autocannon): ${requests.total} answered, ${requests.perSecond} requests/s, latency p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}`);
  }
  lines.push(whereToLook(outDir, unwritten));
  lines.push(`repeat: ${summary.command}`);
  return `${lines.join('\n')}\n`;
}

/** Where the report is, or that it is not: a file that could not be written is never pointed at. */
function whereToLook(outDir: string, unwritten: readonly string[]): string {
  if (unwritten.length === 0) return `report: ${outDir}/report.html (summary.json, junit.xml, summary.md and journal.ndjson beside it)`;
  const missing = `could not write ${unwritten.join(', ')} in ${outDir}`;
  return unwritten.includes('report.html') ? `report: none: ${missing}` : `report: ${outDir}/report.html (but ${missing})`;
}

/** A duration for people; cameras that never came back make it infinite. */
function ms(value: number): string {
  return Number.isFinite(value) ? `${value} ms` : 'never';
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
