/**
 * The users' HTTP load as autocannon measured it (the refresh storm): requests and bytes a second, latency
 * percentiles as a bar chart, and the answers by status. Read defensively: a summary without `load` has no section.
 */
import type { Summary } from '../summary.ts';
import { barChart, type Bar } from './bar-chart.ts';
import { html, type Html } from './escape.ts';
import { count } from './format.ts';

export function loadSection(summary: Summary): Html {
  const { load } = summary;
  if (!load) return html``;
  const { latency } = load;
  const bars: Bar[] = [
    { label: 'p50', value: latency.p50 },
    { label: 'p90', value: latency.p90 },
    { label: 'p99', value: latency.p99 },
    { label: 'p99.9', value: latency.p99_9 },
    { label: 'max', value: latency.max },
  ];
  const statuses = Object.entries(load.statusCodes).map(([status, n]) => `${n.toLocaleString('en-US')} × ${status}`).join(', ');
  return html`<section id="load"><h2>Users' requests (autocannon)</h2>
<p>${count(load.connections)} connections, one per user, in ${count(load.fleets)} ${load.fleets === 1 ? 'fleet' : 'fleets'} over ${count(load.durationS)} s:
${count(load.requests.total)} answers to ${count(load.requests.sent)} requests, <strong>${count(load.requests.perSecond)} requests/s</strong>,
${count(Math.round(load.throughput.perSecond / 1024))} KiB/s; latency mean ${count(latency.mean)} ms; ${count(load.errors)} connection errors,
${count(load.timeouts)} timeouts, ${count(load.non2xx)} answers not 2xx${statuses ? ` (answers: ${statuses})` : ''}.</p>
${barChart('load-latency-chart', 'Request latency percentiles', bars)}</section>`;
}
