/** The run's identity and accounting: world size, seed, the command that reproduces it, and what was checked. */
import type { Summary } from '../summary.ts';
import { html, type Html } from './escape.ts';
import { count } from './format.ts';

export function factsSection(summary: Summary): Html {
  const rows: [string, string | Html][] = [
    ['scenario', summary.scenario],
    ['seed', String(summary.seed)],
    ['world', `${count(summary.world.cameras)} cameras, ${count(summary.world.users)} users`],
    ['target', summary.target],
    ['bug', summary.bug],
    ['duration', `${count(summary.durationS)} s planned, ${summary.startedAt} to ${summary.endedAt}`],
    ...(summary.interrupted ? [['stopped early', summary.interrupted] as [string, string]] : []),
    ['checked', `${count(summary.checked.total)} items: ${count(summary.checked.list)} listed, ${count(summary.checked.stream)} pushed, ${count(summary.checked.thumbnail)} thumbnails, ${count(summary.checked.cameras)} camera-list entries`],
    ['events', `${count(summary.events.emitted)} emitted, ${count(summary.events.acked)} acknowledged, ${count(summary.events.delivered)} delivered, ${count(summary.events.lost)} lost`],
    ['probes', `${count(summary.probes.sent)} thumbnails of other people asked for, ${count(summary.probes.refused)} refused, ${count(summary.probes.notRefused)} answered`],
    ['also', `${count(summary.mismatches)} content mismatches, ${count(summary.unknown)} unknown items, ${count(summary.duplicates)} duplicates, ${count(summary.roleErrors)} wrong roles, ${count(summary.errors)} errors`],
  ];
  return html`<section id="facts"><h2>The run</h2>
<p>Reproduce it: <code id="command">${summary.command}</code></p>
<table class="plain facts"><tbody>${rows.map(([name, value]) => html`<tr><th>${name}</th><td>${value}</td></tr>`)}</tbody></table></section>`;
}
