/** Number and time formatting shared by the report's sections and charts. */

/** Seconds since the run started, as a reader scans a timeline: `+12.3 s`, `+4m05s`, `+2h03m`. */
export function offset(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 120) return `+${s.toFixed(1)} s`;
  if (s < 7200) return `+${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `+${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A count with thousands separators, fixed to en-US so the report reads the same on every machine. */
export function count(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

export function ms(n: number): string {
  return `${count(Math.round(n))} ms`;
}

export function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
