/**
 * Each worker's share of the fleet, for a run split across worker processes: the slice of cameras and users it
 * simulated and whether every record it made reached the run. Read defensively: a summary.json written before
 * workers existed, or by a fleet in the run's own process, has none, and then there is no section.
 */
import type { Summary, WorkerShare } from '../summary.ts';
import { html, type Html } from './escape.ts';
import { count } from './format.ts';

export function workersSection(summary: Summary): Html {
  const workers: unknown = summary.workers;
  if (!Array.isArray(workers) || workers.length === 0) return html``;
  const known = (n: number | null): string => (n === null ? 'unknown' : count(n));
  const rows = (workers as WorkerShare[]).map((share) => {
    const short = share.recordsSent !== share.recordsReceived;
    return html`<tr class="${short ? 'gate-breached' : 'gate-ok'}"><td>${String(share.worker)}</td><td>${count(share.cameras)}</td><td>${count(share.users)}</td><td>${known(share.recordsSent)}</td><td>${count(share.recordsReceived)}</td></tr>`;
  });
  return html`<section id="workers"><h2>Workers</h2>
<p>The fleet was split across ${count(workers.length)} worker processes; the verdict above judges the union of their observations.</p>
<table class="plain"><thead><tr><th>worker</th><th>cameras</th><th>users</th><th>records sent</th><th>records received</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}
