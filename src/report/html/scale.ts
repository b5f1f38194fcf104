/** Linear scales and round tick values for the report's SVG charts. */

export interface Scale {
  (value: number): number;
  ticks: number[];
}

/** Maps [0, max] (max rounded up to a nice tick) onto [from, to]; `to` may be below `from` for y axes. */
export function linear(max: number, from: number, to: number, tickCount = 5): Scale {
  const ticks = niceTicks(max, tickCount);
  const top = ticks.at(-1)!;
  const scale = ((value: number) => from + ((to - from) * Math.min(Math.max(value, 0), top)) / top) as Scale;
  scale.ticks = ticks;
  return scale;
}

/** 0 and multiples of 1, 2 or 5 times a power of ten, reaching at least `max`. */
export function niceTicks(max: number, tickCount = 5): number[] {
  const target = Number.isFinite(max) && max > 0 ? max : 1;
  const rough = target / tickCount;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough)!;
  const ticks: number[] = [];
  for (let value = 0; value < target + step; value += step) {
    ticks.push(Number(value.toPrecision(12)));
    if (value >= target) break;
  }
  return ticks;
}

/** Two decimals at most, so SVG coordinates stay short. */
export function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}
