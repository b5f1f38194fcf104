/**
 * The gates a run was held to, as a table with every breached gate named. Read defensively: a summary.json
 * written before gates existed has none.
 */
import { formatActual, type GateResult } from '../../oracle/gates.ts';
import type { Summary } from '../summary.ts';
import { html, type Html } from './escape.ts';

export function gatesOf(summary: Summary): GateResult[] {
  const gates: unknown = summary.gates;
  return Array.isArray(gates) ? (gates as GateResult[]) : [];
}

export function gatesSection(gates: readonly GateResult[]): Html {
  if (gates.length === 0) return html``;
  const rows = gates.map(
    (gate) =>
      html`<tr class="${gate.ok ? 'gate-ok' : 'gate-breached'}"><td>${gate.ok ? 'met' : 'BREACHED'}</td><td>${gate.name}</td><td><code>${gate.expression}</code></td><td>${formatActual(gate)}</td></tr>`,
  );
  return html`<section id="gates"><h2>Gates</h2><table class="plain"><thead><tr><th>status</th><th>gate</th><th>threshold</th><th>actual</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}
