/** The report's stylesheet, inlined; series and band colours live here so the markup needs no style attributes. */
export const STYLE = `
:root { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2937; background: #fff; }
body { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 8px; } h2 { font-size: 1.2rem; margin: 28px 0 8px; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f3f4f6; padding: 1px 4px; border-radius: 3px; word-break: break-all; }
#headline { padding: 14px 18px; border-radius: 8px; border-left: 8px solid #6b7280; background: #f9fafb; }
#headline.verdict-fail { border-color: #dc2626; background: #fef2f2; }
#headline.verdict-pass { border-color: #16a34a; background: #f0fdf4; }
#headline.verdict-error { border-color: #d97706; background: #fffbeb; }
.incident { font-size: 1.1rem; }
#breached-gates { color: #b91c1c; }
#first-leak { border: 2px solid #dc2626; border-radius: 8px; padding: 4px 16px; }
.user { font-weight: 600; }
.chart { width: 100%; height: auto; display: block; }
.chart text { font-size: 11px; fill: #4b5563; }
.chart .tick, .chart .lane-label, .bar-label { text-anchor: end; }
.chart .tick-x { text-anchor: middle; }
.chart .grid { stroke: #e5e7eb; }
.chart .x-axis line, .chart .tick-mark { stroke: #9ca3af; }
.chart .axis-label { font-weight: 600; }
.band-outage { fill: #ef4444; fill-opacity: .16; }
.band-fault { fill: #f59e0b; fill-opacity: .14; }
.phase line { stroke: #6b7280; stroke-dasharray: 3 3; } .phase text { font-style: italic; }
.series { fill: none; stroke-width: 1.6; }
.s-cameras { stroke: #2563eb; } .s-streams { stroke: #16a34a; } .s-acked { stroke: #7c3aed; } .s-shown { stroke: #0891b2; } .s-errors { stroke: #dc2626; stroke-dasharray: 4 2; }
.lane { fill: #fafafa; stroke: #e5e7eb; }
.leak-marker circle { fill: #dc2626; fill-opacity: .75; stroke: #7f1d1d; stroke-width: .5; }
.leak-marker:target circle, .leak-marker:hover circle { fill: #111827; fill-opacity: 1; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 6px 0; font-size: 12.5px; }
.legend span::before { content: ""; display: inline-block; width: 14px; height: 4px; margin-right: 5px; vertical-align: middle; }
.k-cameras::before { background: #2563eb; } .k-streams::before { background: #16a34a; } .k-acked::before { background: #7c3aed; }
.k-shown::before { background: #0891b2; } .k-errors::before { background: #dc2626; }
.k-outage::before { background: rgba(239, 68, 68, .35); height: 12px !important; } .k-fault::before { background: rgba(245, 158, 11, .35); height: 12px !important; }
.k-leak::before { background: #dc2626; width: 8px !important; height: 8px !important; border-radius: 50%; }
.bar-chart rect { fill: #6366f1; } .bar-missing .bar-note { fill: #b91c1c; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e7eb; vertical-align: top; overflow-wrap: anywhere; }
#leaks td:nth-child(-n+2) { white-space: nowrap; }
table.facts th { width: 120px; color: #4b5563; font-weight: 600; }
.sortable th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
.sortable th[aria-sort="ascending"] button::after { content: " \\25B2"; } .sortable th[aria-sort="descending"] button::after { content: " \\25BC"; }
#leaks tbody tr:target { background: #fde68a; } #leaks tr.first { background: #fee2e2; }
.gate-breached td:first-child { color: #b91c1c; font-weight: 700; }
.filters { display: flex; gap: 16px; align-items: center; margin: 8px 0; }
.filters input { width: 260px; }
`;
