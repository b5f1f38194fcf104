/**
 * Every embedded leak as a table row, rendered on the server so it reads without script; the page's script
 * adds sorting (click a header) and filtering (text, surface). Each row links to its timeline marker and back.
 */
import type { Surface } from '../../world/history.ts';
import { html, type Html } from './escape.ts';
import { count, offset } from './format.ts';
import type { LeakRow } from './incident.ts';

const SURFACES: Surface[] = ['list', 'stream', 'thumbnail', 'cameras'];

export function leakTableSection(rows: readonly LeakRow[], total: number): Html {
  if (total === 0) return html``;
  const capped = rows.length < total ? html` The first ${count(rows.length)} are listed here; ${count(total - rows.length)} more are counted only (the journal holds them all).` : '';
  return html`<section id="leaks-section"><h2>Leaks</h2>
<p>${count(total)} leaked ${total === 1 ? 'item' : 'items'} in total.${capped}</p>
<div class="filters"><label>Filter <input id="leak-filter" type="search" placeholder="user, camera, event, phase..." autocomplete="off"></label>
<label>Surface <select id="leak-surface"><option value="">all</option>${SURFACES.map((s) => html`<option value="${s}">${s}</option>`)}</select></label>
<span id="leak-count">${count(rows.length)} shown</span></div>
<table id="leaks" class="sortable"><thead><tr>
${header('#', 'number')}${header('at', 'number')}${header('recipient', 'text')}${header('owners', 'text')}${header('camera', 'text')}${header('event', 'text')}${header('surface', 'text')}${header('broken at', 'text')}${header('phase', 'text')}${header('faults active', 'text')}
</tr></thead><tbody>${rows.map(row)}</tbody></table></section>`;
}

function header(label: string, type: 'number' | 'text'): Html {
  return html`<th data-type="${type}" aria-sort="none"><button type="button">${label}</button></th>`;
}

function row(leak: LeakRow): Html {
  const e = leak.evidence;
  const faults = e.faults.map((f) => `${f.fault}@${f.path}`).join(', ');
  return html`<tr id="leak-${leak.n}" data-surface="${e.surface}"${leak.n === 1 ? html` class="first"` : ''}>
<td data-sort="${leak.n}"><a href="#m-${leak.n}" title="show on the timeline">${leak.n}</a></td><td data-sort="${leak.s}">${offset(leak.s)}</td>
<td>${e.recipient}</td><td>${e.owners.join(', ')}</td><td>${e.cameraId}</td><td>${e.eventId ?? ''}</td><td>${e.surface}${e.call.probe ? ' (probe)' : ''}</td>
<td>${e.broken}</td><td>${e.phase ?? ''}</td><td>${faults}</td></tr>`;
}
