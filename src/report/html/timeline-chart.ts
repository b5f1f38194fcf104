/**
 * The run over time as one inline SVG: connected cameras and users with a live stream, events acknowledged and
 * items shown per second, faults as shaded bands across every panel, phase boundaries, and one marker per
 * leak (a lane per surface) that links to its row in the leak table.
 */
import type { FaultApplied } from '../summary.ts';
import type { ChartPoint } from './downsample.ts';
import { html, type Html } from './escape.ts';
import { offset } from './format.ts';
import type { LeakRow } from './incident.ts';
import { linear, round, type Scale } from './scale.ts';
import type { RunResult } from '../result.ts';

const WIDTH = 1000;
const LEFT = 56;
const RIGHT = 16;
const GAUGES = { top: 24, bottom: 164 };
const RATES = { top: 204, bottom: 344 };
const LANE = { top: 364, row: 16 };
const SURFACES = ['list', 'stream', 'thumbnail', 'cameras'] as const;
const AXIS_Y = LANE.top + LANE.row * SURFACES.length + 6;
const HEIGHT = AXIS_Y + 28;

interface Series {
  key: 'cameras' | 'streams' | 'acked' | 'shown' | 'errors';
  label: string;
}

const GAUGE_SERIES: Series[] = [
  { key: 'cameras', label: 'cameras connected' },
  { key: 'streams', label: 'users with a live stream' },
];
const RATE_SERIES: Series[] = [
  { key: 'acked', label: 'events acked / s' },
  { key: 'shown', label: 'items shown / s' },
  { key: 'errors', label: 'errors / s' },
];

export function timelineChart(result: RunResult, points: readonly ChartPoint[], leaks: readonly LeakRow[]): Html {
  const origin = result.timeline.startedAt;
  const last = points.at(-1);
  const faults = result.summary.faults;
  const endS = Math.max(
    last ? last.s + last.width : 0,
    result.summary.durationS,
    ...leaks.map((leak) => leak.s),
    ...faults.map((fault) => ((fault.heal ?? fault.start) - origin) / 1000),
  );
  const x = linear(endS, LEFT, WIDTH - RIGHT, 10);
  const gaugeMax = Math.max(1, ...points.flatMap((p) => [p.cameras, p.streams]));
  const rateMax = Math.max(1, ...points.flatMap((p) => [p.acked, p.shown, p.errors]));
  const yGauge = linear(gaugeMax, GAUGES.bottom, GAUGES.top, 4);
  const yRate = linear(rateMax, RATES.bottom, RATES.top, 4);
  return html`<svg id="timeline-chart" class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Run timeline">
<g class="bands">${faults.map((fault) => band(fault, x, origin, endS))}</g>
${yAxis(yGauge, 'connected')}${yAxis(yRate, 'per second')}
<g class="phases">${result.timeline.phases.map((phase) => html`<g class="phase"><line x1="${round(x(phase.at))}" x2="${round(x(phase.at))}" y1="${GAUGES.top - 14}" y2="${AXIS_Y}"/><text x="${round(x(phase.at) + 3)}" y="${GAUGES.top - 4}">${phase.name}</text></g>`)}</g>
${GAUGE_SERIES.map((series) => line(series, points, x, yGauge))}
${RATE_SERIES.map((series) => line(series, points, x, yRate))}
${leakLane(leaks, x)}
${xAxis(x)}
</svg>`;
}

function band(fault: FaultApplied, x: Scale, origin: number, endS: number): Html {
  const from = (fault.start - origin) / 1000;
  const to = fault.heal === null ? endS : (fault.heal - origin) / 1000;
  const kind = fault.fault === 'outage' ? 'outage' : 'fault';
  const healed = fault.heal !== null ? `healed ${offset(to)}` : fault.state === 'heal-failed' ? 'its heal failed' : 'heal never confirmed';
  return html`<rect class="band band-${kind}" data-fault="${fault.id}" x="${round(x(from))}" y="${GAUGES.top}" width="${round(Math.max(1, x(to) - x(from)))}" height="${AXIS_Y - GAUGES.top}"><title>${fault.fault} on ${fault.path} (${fault.id}): ${offset(from)}, ${healed}</title></rect>`;
}

function line(series: Series, points: readonly ChartPoint[], x: Scale, y: Scale): Html {
  const coords = points.map((p) => `${round(x(p.s))},${round(y(p[series.key]))}`).join(' ');
  return html`<polyline class="series s-${series.key}" data-series="${series.key}" points="${coords}"><title>${series.label}</title></polyline>`;
}

function leakLane(leaks: readonly LeakRow[], x: Scale): Html {
  const labels = SURFACES.map((surface, i) => html`<text class="lane-label" x="${LEFT - 6}" y="${LANE.top + LANE.row * i + 12}">${surface}</text>`);
  const markers = leaks.map((leak) => {
    const row = SURFACES.indexOf(leak.evidence.surface);
    const cy = LANE.top + LANE.row * Math.max(0, row) + LANE.row / 2;
    const what = leak.evidence.eventId ?? leak.evidence.cameraId;
    return html`<a id="m-${leak.n}" class="leak-marker" href="#leak-${leak.n}" data-surface="${leak.evidence.surface}"><circle cx="${round(x(leak.s))}" cy="${cy}" r="4"/><title>leak #${leak.n} ${offset(leak.s)}: ${leak.evidence.recipient} shown ${what} (${leak.evidence.surface})</title></a>`;
  });
  return html`<g class="leak-lane"><rect class="lane" x="${LEFT}" y="${LANE.top}" width="${WIDTH - LEFT - RIGHT}" height="${LANE.row * SURFACES.length}"/>${labels}${markers}</g>`;
}

function yAxis(y: Scale, label: string): Html {
  const ticks = y.ticks.map((tick) => html`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${round(y(tick))}" y2="${round(y(tick))}"/><text class="tick" x="${LEFT - 6}" y="${round(y(tick) + 4)}">${tick}</text>`);
  const top = y(y.ticks.at(-1)!);
  return html`<g class="axis y-axis">${ticks}<text class="axis-label" x="${LEFT + 4}" y="${round(top + 12)}">${label}</text></g>`;
}

function xAxis(x: Scale): Html {
  const ticks = x.ticks.map((tick) => html`<line class="tick-mark" x1="${round(x(tick))}" x2="${round(x(tick))}" y1="${AXIS_Y}" y2="${AXIS_Y + 4}"/><text class="tick tick-x" x="${round(x(tick))}" y="${AXIS_Y + 16}">${offset(tick)}</text>`);
  return html`<g class="axis x-axis"><line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${AXIS_Y}" y2="${AXIS_Y}"/>${ticks}</g>`;
}
