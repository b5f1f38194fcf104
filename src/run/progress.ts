/**
 * Progress while a run goes, in one of three forms chosen by the CLI:
 * - `live`: on a terminal, a small panel redrawn in place (phase and time left, cameras and users connected,
 *   events per second, items checked, leaks so far, active faults); log lines are written above it;
 * - `plain`: when stderr is not a terminal (CI logs), one line every few seconds;
 * - `quiet`: neither; warnings, errors and the final summary still print.
 */
import { styleText } from 'node:util';
import { createLogUpdate } from 'log-update';
import { printableLine } from '../protocol/printable.ts';
import type { LiveRun, Watcher } from './live.ts';

export type ProgressMode = 'live' | 'plain' | 'quiet';

/** How a run shows itself: where its log lines go, and what watches it. */
export interface Progress {
  /** Writes one log line (a warning, a note) without corrupting the live panel; secrets and control characters never reach the terminal. */
  log(line: string): void;
  watchers: Watcher[];
}

const PLAIN_EVERY_MS = 5_000;
const LIVE_EVERY_MS = 500;
/** Events per second are averaged over this much recent time: steady enough to read, quick to show a stall. */
const RATE_WINDOW_MS = 5_000;

/** Picks the form: a terminal gets the live panel, anything else plain lines, `--quiet` neither. */
export function progressMode(quiet: boolean, isTTY: boolean | undefined): ProgressMode {
  return quiet ? 'quiet' : isTTY ? 'live' : 'plain';
}

export function progressFor(mode: ProgressMode, stream: NodeJS.WritableStream & { columns?: number; rows?: number }): Progress {
  const write = (line: string) => void stream.write(`${printableLine(line)}\n`);
  if (mode === 'quiet') return { log: write, watchers: [] };
  if (mode === 'plain') return { log: write, watchers: [plainProgress(write)] };
  return livePanel(stream, { color: !('NO_COLOR' in process.env) });
}

export function plainProgress(write: (line: string) => void, everyMs = PLAIN_EVERY_MS): Watcher {
  return (live: LiveRun) => {
    const rate = new EventRate(RATE_WINDOW_MS);
    const tick = () => {
      const now = Date.now();
      rate.sample(now, live.count('acked'));
      return now;
    };
    tick();
    const timer = setInterval(() => write(progressLine(live, tick(), rate.perSecond())), everyMs);
    timer.unref();
    return () => clearInterval(timer);
  };
}

export function progressLine(live: LiveRun, now: number, eventsPerSecond?: number): string {
  const checks = live.checks();
  const faults = live.activeFaults();
  const rate = eventsPerSecond === undefined ? '' : ` (${Math.round(eventsPerSecond)}/s)`;
  return (
    `[${live.phase()}] ${secondsLeft(live, now)}s left | cameras ${live.cameras.connected()}/${live.cameras.total} ` +
    `| users ${live.users.loggedIn()}/${live.users.total} | events ${live.count('acked')} acked${rate} | checked ${checks.checked} | ${leakText(checks)}` +
    (faults.length ? ` | faults ${faults.join(', ')}` : '')
  );
}

/** The live panel's text; `color` highlights leaks (red) and faults (yellow). */
export function progressPanel(live: LiveRun, now: number, eventsPerSecond: number, color: boolean): string {
  const paint = (format: Parameters<typeof styleText>[0], text: string) => (color ? styleText(format, text) : text);
  const checks = live.checks();
  const faults = live.activeFaults();
  const leaks = leakText(checks);
  return [
    `stampede ${live.scenario}  phase ${paint('bold', live.phase())}  ${secondsLeft(live, now)}s left`,
    `cameras ${live.cameras.connected()}/${live.cameras.total} connected  users ${live.users.loggedIn()}/${live.users.total} logged in`,
    `events ${Math.round(eventsPerSecond)}/s (${live.count('acked')} acked)  checked ${checks.checked}  ` +
      (checks.leaks > 0 ? paint(['bold', 'red'], leaks) : leaks),
    `faults ${faults.length ? paint('yellow', faults.join(', ')) : 'none'}`,
  ].join('\n');
}

/**
 * The panel redrawn in place on `stream` (a terminal). A log line clears the panel, is written, and the panel is
 * drawn again under it, so warnings are never overwritten or split. Stopping draws the last state once more and
 * leaves it on screen, so whatever prints next (the summary) starts on a clean line.
 */
function livePanel(stream: NodeJS.WritableStream & { columns?: number; rows?: number }, options: { color: boolean }): Progress {
  // A pseudo-terminal may report 0 columns and rows (no size set); the panel would then wrap to nothing.
  const sized = {
    write: (text: string) => stream.write(text),
    get columns() { return stream.columns || 100; },
    get rows() { return stream.rows || 24; },
  };
  // showCursor: hiding it would install signal-exit handlers beside the CLI's own Ctrl-C handling.
  const draw = createLogUpdate(sized as unknown as NodeJS.WriteStream, { showCursor: true });
  let frame: (() => string) | undefined;
  const log = (line: string) => {
    if (frame) draw.clear();
    stream.write(`${printableLine(line)}\n`);
    if (frame) draw(frame());
  };
  const watcher: Watcher = (live) => {
    const rate = new EventRate(RATE_WINDOW_MS);
    const render = () => {
      const now = Date.now();
      rate.sample(now, live.count('acked'));
      return progressPanel(live, now, rate.perSecond(), options.color);
    };
    frame = render;
    draw(render());
    const timer = setInterval(() => draw(render()), LIVE_EVERY_MS);
    timer.unref();
    return () => {
      clearInterval(timer);
      if (frame !== render) return;
      draw(render());
      draw.done();
      frame = undefined;
    };
  };
  return { log, watchers: [watcher] };
}

/**
 * Leaks so far, or that none can have been counted yet: a would-be leak waits the oracle's settle delay for the
 * record that may excuse it, so "leaks 0" before anything was through it would be a claim nobody checked.
 */
function leakText(checks: { leaks: number; judged: boolean }): string {
  return checks.judged || checks.leaks > 0 ? `leaks ${checks.leaks}` : 'leaks - (judging)';
}

function secondsLeft(live: LiveRun, now: number): number {
  return Math.max(0, Math.round((live.endsAt - now) / 1000));
}

/**
 * The rate of a rising count over the last `windowMs`, from samples taken at each redraw. Old samples are
 * dropped as new ones come, so memory stays bounded by the redraw rate, not the run's length.
 */
export class EventRate {
  private readonly samples: { t: number; value: number }[] = [];

  constructor(private readonly windowMs: number) {}

  sample(t: number, value: number): void {
    this.samples.push({ t, value });
    // Keep one sample at or before the window's start, so the rate always spans the whole window once it can.
    while (this.samples.length > 2 && this.samples[1]!.t <= t - this.windowMs) this.samples.shift();
  }

  perSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.t <= first.t) return 0;
    return ((last.value - first.value) * 1000) / (last.t - first.t);
  }
}
