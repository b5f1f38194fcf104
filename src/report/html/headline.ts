/**
 * The top of the report in the incident's terms: the verdict, how many users were shown foreign events, how
 * many opened them, whose data was exposed; the breached gates by name; then the first leak with the outage
 * before it, and the users affected.
 */
import type { FaultApplied } from '../summary.ts';
import { html, type Html } from './escape.ts';
import { count, offset, plural } from './format.ts';
import type { GateResult } from '../../oracle/gates.ts';
import type { Affected, FirstLeak } from './incident.ts';
import type { RunResult } from '../result.ts';

/** Users listed by name in the headline; the rest are counted. */
const NAMED_USERS = 40;

export function headline(result: RunResult, gates: readonly GateResult[]): Html {
  const { summary } = result;
  const { leaks } = summary;
  const breached = gates.filter((gate) => !gate.ok);
  const title =
    summary.verdict === 'pass'
      ? 'PASS: no user was shown anything that is not theirs'
      : summary.verdict === 'fail'
        ? leaks.total > 0
          ? 'FAIL: cross-account leaks'
          : 'FAIL: gates breached'
        : `ERROR: no verdict: ${summary.reasons[0] ?? 'too little observed'}`;
  const incident =
    leaks.total > 0
      ? html`<p class="incident"><strong>${plural(leaks.recipients, 'user was', 'users were')}</strong> shown events from cameras that are not theirs;
<strong>${count(leaks.opened)}</strong> of them opened one; <strong>${plural(leaks.owners, 'owner', 'owners')}</strong> had their data exposed
(${plural(leaks.total, 'leaked item', 'leaked items')}: ${count(leaks.bySurface.list)} in event lists, ${count(leaks.bySurface.stream)} pushed,
${count(leaks.bySurface.thumbnail)} thumbnails, ${count(leaks.bySurface.cameras)} in camera lists).</p>`
      : html`<p class="incident">${count(summary.checked.total)} items checked; none belonged to someone else.</p>`;
  return html`<header id="headline" class="verdict-${summary.verdict}"><h1>${title}</h1>${incident}
${breached.length ? html`<p id="breached-gates">Breached ${breached.length === 1 ? 'gate' : 'gates'}: ${breached.map((gate, i) => html`${i ? ', ' : ''}<strong>${gate.name}</strong>`)}</p>` : ''}
${summary.reasons.length ? html`<ul class="reasons">${summary.reasons.map((reason) => html`<li>${reason}</li>`)}</ul>` : ''}</header>`;
}

export function firstLeakSection(first: FirstLeak | undefined, origin: number): Html {
  if (!first) return html``;
  const { leak, outageBefore, faultBefore } = first;
  const e = leak.evidence;
  const what = e.eventId ? html`event <code>${e.eventId}</code> of camera <code>${e.cameraId}</code>` : html`camera <code>${e.cameraId}</code>`;
  const active = e.faults.length ? e.faults.map((f) => `${f.fault} on ${f.path} (${f.id})`).join(', ') : 'none';
  return html`<section id="first-leak"><h2>First leak <a href="#leak-${leak.n}">#${leak.n}</a> at ${offset(leak.s)}</h2>
<p>User <strong class="user">${e.recipient}</strong> was shown ${what} (owner ${e.owners.length ? e.owners.join(' / ') : 'unknown'}) via <strong>${e.surface}</strong>
in phase <strong>${e.phase ?? '-'}</strong>; the access rule was broken at ${e.broken}.
<a href="#m-${leak.n}">See it on the timeline.</a></p>
<p id="outage-before">${outageBefore ? html`Outage before it: ${faultLine(outageBefore, origin, e.at)}` : 'No client outage happened before it.'}</p>
${faultBefore ? html`<p id="fault-before">Latest fault before it: ${faultLine(faultBefore, origin, e.at)}</p>` : ''}
<p>Faults active at that moment: ${active}.</p></section>`;
}

function faultLine(fault: FaultApplied, origin: number, at: number): Html {
  const start = (fault.start - origin) / 1000;
  const healed =
    fault.heal === null
      ? 'never healed'
      : fault.heal <= at
        ? `healed at ${offset((fault.heal - origin) / 1000)}, ${((at - fault.heal) / 1000).toFixed(1)} s before the leak`
        : `still active (healed at ${offset((fault.heal - origin) / 1000)})`;
  return html`<strong>${fault.fault}</strong> on ${fault.path} (<code>${fault.id}</code>) from ${offset(start)}, ${healed}.`;
}

export function affectedSection(affected: Affected, embedded: number, total: number): Html {
  if (affected.recipients.length === 0) return html``;
  const scope = embedded < total ? ` (from the first ${count(embedded)} of ${count(total)} leaks)` : '';
  return html`<section id="affected"><h2>Users affected${scope}</h2>
<p>Shown someone else's data (${affected.recipients.length}): ${users(affected.recipients)}</p>
<p>Whose data was shown (${affected.owners.length}): ${users(affected.owners)}</p></section>`;
}

function users(list: readonly { userId: string; leaks: number }[]): Html {
  const named = list.slice(0, NAMED_USERS).map((user, i) => html`${i ? ', ' : ''}<span class="user">${user.userId}</span> (${user.leaks})`);
  return html`${named}${list.length > NAMED_USERS ? ` and ${count(list.length - NAMED_USERS)} more` : ''}`;
}
