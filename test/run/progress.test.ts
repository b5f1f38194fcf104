/**
 * The three progress forms: what the live panel and the plain line say, that log lines written while the panel is
 * up come out whole and above it, that stopping leaves the last state on screen, and the events-per-second window.
 */
import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LiveRun } from '../../src/run/live.ts';
import { EventRate, progressFor, progressLine, progressMode, progressPanel } from '../../src/run/progress.ts';

/** A LiveRun whose figures the test sets: the watchers' own boundary, not a service. */
function fakeRun(now: number) {
  const figures = { phase: 'outage', connected: 3, loggedIn: 2, acked: 40, checked: 120, leaks: 0, judged: true, faults: ['outage@client'] };
  const live: LiveRun = {
    scenario: 'storm',
    startedAt: now - 10_000,
    endsAt: now + 30_000,
    phase: () => figures.phase,
    cameras: { total: 5, connected: () => figures.connected },
    users: { total: 4, loggedIn: () => figures.loggedIn },
    count: (type) => (type === 'acked' ? figures.acked : 0),
    checks: () => ({ checked: figures.checked, leaks: figures.leaks, unknown: 0, judged: figures.judged }),
    surfaces: () => ({ checked: { list: 1, stream: 2, thumbnail: 3, cameras: 4 }, leaks: { list: 0, stream: 0, thumbnail: 0, cameras: 0 } }),
    activeFaults: () => figures.faults,
  };
  return { live, figures };
}

/** A terminal-like stream that keeps what was written. */
function terminal() {
  let written = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    }),
    { columns: 100, rows: 30 },
  );
  return { stream, text: () => written };
}

describe('progress', () => {
  it('picks the form from --quiet and whether stderr is a terminal', () => {
    expect(progressMode(false, true)).toBe('live');
    expect(progressMode(false, false)).toBe('plain');
    expect(progressMode(false, undefined)).toBe('plain');
    expect(progressMode(true, true)).toBe('quiet');
  });

  it('the plain line names phase, time left, fleet, events, checks, leaks and faults', () => {
    const now = Date.now();
    const { live } = fakeRun(now);
    expect(progressLine(live, now, 12.4)).toBe(
      '[outage] 30s left | cameras 3/5 | users 2/4 | events 40 acked (12/s) | checked 120 | leaks 0 | faults outage@client',
    );
  });

  it('shows that no leak can have been counted yet while nothing is through the settle delay', () => {
    const now = Date.now();
    const { live, figures } = fakeRun(now);
    figures.judged = false;
    expect(progressLine(live, now)).toContain('| checked 120 | leaks - (judging) |');
    expect(stripVTControlCharacters(progressPanel(live, now, 7, true))).toContain('checked 120  leaks - (judging)');
  });

  it('the panel shows every figure and highlights leaks only when there are some', () => {
    const now = Date.now();
    const { live, figures } = fakeRun(now);
    const calm = progressPanel(live, now, 7, true);
    expect(stripVTControlCharacters(calm)).toBe(
      [
        'stampede storm  phase outage  30s left',
        'cameras 3/5 connected  users 2/4 logged in',
        'events 7/s (40 acked)  checked 120  leaks 0',
        'faults outage@client',
      ].join('\n'),
    );
    expect(calm).not.toContain('\u001b[31m');
    figures.leaks = 2;
    figures.faults = [];
    const alarmed = progressPanel(live, now, 7, true);
    expect(alarmed).toContain('\u001b[31m');
    expect(stripVTControlCharacters(alarmed)).toContain('leaks 2');
    expect(stripVTControlCharacters(alarmed)).toContain('faults none');
    expect(progressPanel(live, now, 7, false)).not.toMatch(/\u001b\[/);
  });

  it('quiet has no watcher; plain has one; live has one', () => {
    const { stream } = terminal();
    expect(progressFor('quiet', stream).watchers).toHaveLength(0);
    expect(progressFor('plain', stream).watchers).toHaveLength(1);
    expect(progressFor('live', stream).watchers).toHaveLength(1);
  });

  it('a log line while the panel is up comes out whole, above a redrawn panel, and stopping leaves the last state', () => {
    const { stream, text } = terminal();
    const { live, figures } = fakeRun(Date.now());
    const progress = progressFor('live', stream);
    progress.log('before the run');
    const stop = progress.watchers[0]!(live);
    progress.log('warning: something to read');
    figures.leaks = 1;
    stop();
    progress.log('after the run');

    const lines = stripVTControlCharacters(text()).split('\n');
    expect(lines[0]).toBe('before the run');
    const warning = lines.findIndex((line) => line.includes('warning: something to read'));
    // Clearing the panel leaves its erased lines behind as empty strings, so the warning line is exactly itself.
    expect(lines[warning]).toBe('warning: something to read');
    expect(lines.slice(warning + 1).join('\n')).toContain('stampede storm  phase outage');
    // The last frame (leaks 1) stays on screen, and what prints next starts on its own line under it.
    const end = lines.lastIndexOf('after the run');
    expect(end).toBeGreaterThan(warning);
    expect(lines.slice(0, end).join('\n')).toContain('leaks 1');
    expect(lines[end - 1]).toBe('faults outage@client');
  });

  it('after the panel is stopped, log lines are plain writes', () => {
    const { stream, text } = terminal();
    const { live } = fakeRun(Date.now());
    const progress = progressFor('live', stream);
    progress.watchers[0]!(live)();
    const before = text();
    progress.log('plain now');
    expect(text().slice(before.length)).toBe('plain now\n');
  });

  it('events per second come from the last few seconds only', () => {
    const rate = new EventRate(5_000);
    expect(rate.perSecond()).toBe(0);
    rate.sample(0, 0);
    expect(rate.perSecond()).toBe(0);
    rate.sample(1_000, 100);
    expect(rate.perSecond()).toBe(100);
    // A burst long ago falls out of the window: 10 s of 10/s after it.
    for (let t = 2_000; t <= 12_000; t += 1_000) rate.sample(t, 100 + ((t - 1_000) / 1_000) * 10);
    expect(rate.perSecond()).toBeCloseTo(10, 5);
    // A stall shows as zero once the window has passed.
    for (let t = 13_000; t <= 18_000; t += 1_000) rate.sample(t, 210);
    expect(rate.perSecond()).toBe(0);
  });
});
