/**
 * report.html assembled: one self-contained document with its CSS and script inline. A Content-Security-Policy
 * forbids every fetch and allows only our own script and stylesheet (by hash), so the file opens offline and
 * even a string that escaped escaping could neither run nor phone home.
 */
import { createHash } from 'node:crypto';
import { downsample } from './downsample.ts';
import { html, trusted } from './escape.ts';
import { factsSection } from './facts.ts';
import { gatesOf, gatesSection } from './gates.ts';
import { affectedSection, firstLeakSection, headline } from './headline.ts';
import { affected, firstLeak, leakRows } from './incident.ts';
import { workersSection } from './workers.ts';
import { leakTableSection } from './leak-table.ts';
import { latencySection, reconnectSection } from './measurements.ts';
import { loadSection } from './load.ts';
import { SCRIPT } from './script.ts';
import { STYLE } from './style.ts';
import { timelineChart } from './timeline-chart.ts';
import type { RunResult } from '../result.ts';

const CSP = [
  "default-src 'none'",
  `script-src '${hash(SCRIPT)}'`,
  `style-src '${hash(STYLE)}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function renderReport(result: RunResult): string {
  const { summary, timeline } = result;
  const origin = timeline.startedAt;
  const rows = leakRows(result);
  const gates = gatesOf(summary);
  const document = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stampede ${summary.verdict.toUpperCase()}: ${summary.scenario}, seed ${summary.seed}</title>
<style>${trusted(STYLE)}</style></head>
<body>
${headline(result, gates)}
${firstLeakSection(firstLeak(rows, summary.faults), origin)}
${affectedSection(affected(rows), rows.length, summary.leaks.total)}
${gatesSection(gates)}
<section id="timeline"><h2>Timeline</h2>
<div class="legend"><span class="k-cameras">cameras connected</span><span class="k-streams">users with a live stream</span><span class="k-acked">events acked / s</span><span class="k-shown">items shown / s (deliveries)</span><span class="k-errors">errors / s</span><span class="k-outage">outage</span><span class="k-fault">other fault</span><span class="k-leak">leak (click for its row)</span></div>
${timelineChart(result, downsample(timeline.buckets), rows)}</section>
${latencySection(summary)}
${reconnectSection(summary, origin)}
${loadSection(summary)}
${leakTableSection(rows, summary.leaks.total)}
${factsSection(summary)}
${workersSection(summary)}
<script>${trusted(SCRIPT)}</script>
</body></html>
`;
  return document.value;
}

function hash(source: string): string {
  return `sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}`;
}
