/** A horizontal bar chart as inline SVG, for latency percentiles and reconnect times; one bar per figure. */
import { html, type Html } from './escape.ts';
import { linear, round } from './scale.ts';

/** One bar; a null value is drawn as an empty bar with its note (e.g. "some cameras never came back"). */
export interface Bar {
  label: string;
  value: number | null;
  /** Shown after the bar; defaults to the value in ms. */
  note?: string;
}

const WIDTH = 1000;
const LABEL = 260;
const RIGHT = 200;
const ROW = 24;

export function barChart(id: string, title: string, bars: readonly Bar[]): Html {
  const max = Math.max(1, ...bars.map((bar) => bar.value ?? 0));
  const x = linear(max, LABEL, WIDTH - RIGHT, 5);
  const height = bars.length * ROW + 8;
  const rows = bars.map((bar, i) => {
    const y = 4 + i * ROW;
    const value = bar.value ?? 0;
    const note = bar.note ?? `${Math.round(value).toLocaleString('en-US')} ms`;
    return html`<g class="bar${bar.value === null ? ' bar-missing' : ''}"><text class="bar-label" x="${LABEL - 8}" y="${y + 15}">${bar.label}</text><rect x="${LABEL}" y="${y + 3}" width="${round(Math.max(bar.value === null ? 0 : 1, x(value) - LABEL))}" height="${ROW - 8}" data-value="${value}"/><text class="bar-note" x="${round(x(value) + 6)}" y="${y + 15}">${note}</text></g>`;
  });
  return html`<svg id="${id}" class="chart bar-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${title}">${rows}</svg>`;
}
