/** Delivery latency percentiles and the fleet's reconnect times after each outage, as bar charts. */
import type { Summary } from '../summary.ts';
import { barChart, type Bar } from './bar-chart.ts';
import { html, type Html } from './escape.ts';
import { count, offset } from './format.ts';

export function latencySection(summary: Summary): Html {
  const { latency } = summary;
  const bars: Bar[] = [
    { label: 'p50', value: latency.p50 },
    { label: 'p95', value: latency.p95 },
    { label: 'p99', value: latency.p99 },
    { label: 'max', value: latency.max },
  ];
  return html`<section id="latency"><h2>Delivery latency</h2>
<p>From the target's ack (or an entitled user's first login, if later) to the first time an entitled user was shown the event; ${count(summary.events.delivered)} events delivered.</p>
${barChart('latency-chart', 'Delivery latency percentiles', bars)}</section>`;
}

export function reconnectSection(summary: Summary, origin: number): Html {
  const { reconnect } = summary;
  // How the fleet came back after an outage whose heal Toxiproxy never confirmed is unknown: said, never counted.
  const unknown = reconnect.unhealed > 0
    ? html`<p>Reconnect unknown after ${count(reconnect.unhealed)} ${reconnect.unhealed === 1 ? 'outage whose heal was' : 'outages whose heals were'} never confirmed.</p>`
    : html``;
  if (reconnect.outages === 0) return html`<section id="reconnect"><h2>Reconnect after outages</h2><p>No client outage was healed during the run.</p>${unknown}</section>`;
  const bars: Bar[] = [
    { label: 'all outages: p50', value: reconnect.p50 },
    { label: 'all outages: p95', value: reconnect.p95 },
    { label: 'all outages: max', value: reconnect.max },
  ];
  reconnect.perOutage.forEach((outage, i) => {
    const name = `outage ${i + 1} (healed ${offset((outage.healedAt - origin) / 1000)})`;
    bars.push({ label: `${name}: p95`, value: outage.p95, note: `${Math.round(outage.p95)} ms, ${outage.reconnected} of ${outage.cameras} cameras back` });
    bars.push(
      outage.allBackMs === null
        ? { label: `${name}: all back`, value: null, note: `never: ${outage.cameras - outage.reconnected} did not come back` }
        : { label: `${name}: all back`, value: outage.allBackMs },
    );
  });
  return html`<section id="reconnect"><h2>Reconnect after outages</h2>
<p>${count(reconnect.reconnected)} camera reconnections measured after ${count(reconnect.outages)} ${reconnect.outages === 1 ? 'outage' : 'outages'}, from the heal to the camera's next welcome; ${count(reconnect.missing)} never came back.</p>
${unknown}${barChart('reconnect-chart', 'Reconnect time after each outage', bars)}</section>`;
}
