/**
 * Each k6 instance's share of the fleet, for a run split across processes or pods: the slice of cameras and users
 * it simulated and whether every record it made reached the collector. Read defensively: a summary.json written
 * before instances existed, or by the Node engine, has none, and then there is no section.
 */
import type { EngineInstance, Summary } from '../summary.ts';
import { html, type Html } from './escape.ts';
import { count } from './format.ts';

export function instancesSection(summary: Summary): Html {
  const instances: unknown = summary.instances;
  if (!Array.isArray(instances) || instances.length === 0) return html``;
  const known = (n: number | null): string => (n === null ? 'unknown' : count(n));
  const rows = (instances as EngineInstance[]).map((share) => {
    const short = share.recordsSent !== share.recordsReceived;
    return html`<tr class="${short ? 'gate-breached' : 'gate-ok'}"><td>${String(share.instance)}</td><td><code>${share.segment}</code></td><td>${count(share.cameras)}</td><td>${count(share.users)}</td><td>${known(share.recordsSent)}</td><td>${count(share.recordsReceived)}</td><td>${known(share.plainLeaks)}</td></tr>`;
  });
  return html`<section id="instances"><h2>Instances</h2>
<p>The fleet was split across ${count(instances.length)} ${summary.engine} instances; the verdict above judges the union of their observations.</p>
<table class="plain"><thead><tr><th>instance</th><th>segment</th><th>cameras</th><th>users</th><th>records sent</th><th>records received</th><th>plain leaks counted by its VUs</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}
