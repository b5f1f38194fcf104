/**
 * On a terminal the real CLI draws the live panel instead of plain lines, and the console summary prints whole
 * under the panel's last frame. The terminal is a pseudo-terminal from util-linux `script`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runDir, STAMPEDE } from '../helpers/cli.ts';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Runs `command` under a pseudo-terminal of a fixed size and returns everything the terminal received. */
function underTerminal(command: string, timeoutMs: number): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', `stty cols 110 rows 40; ${command}`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within ${timeoutMs} ms:\n${screen.slice(-2000)}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}

// Both runs at once: each is a small fleet that mostly waits out its storm, so together they take the time of one.
describe.concurrent('stampede run on a terminal', () => {
  it('has script(1) to give the CLI a pseudo-terminal', () => expect(hasScript, 'install util-linux (script)').toBe(true));

  it('redraws the panel in place and prints the summary under its last frame', async () => {
    const out = runDir('tty');
    const { code, screen } = await underTerminal(
      `'${process.execPath}' '${STAMPEDE}' run storm --cameras 20 --users 10 --duration 12 --seed 21 --out '${out}'`,
      120_000,
    );
    const text = stripVTControlCharacters(screen).replace(/\r/g, '');
    expect(code, text.slice(-3000)).toBe(0);
    // The panel, drawn many times (erase sequences between frames), and never the plain CI line.
    expect(screen.split('stampede storm  phase').length - 1).toBeGreaterThan(5);
    expect(screen).toContain('\u001b[1A');
    expect(text).toMatch(/cameras \d+\/20 connected {2}users \d+\/10 logged in/);
    // A 12 s run never gets past the oracle's 30 s settle delay: the panel says so rather than "leaks 0".
    expect(text).toMatch(/events \d+\/s \(\d+ acked\) {2}checked \d+ {2}leaks - \(judging\)/);
    expect(text).not.toMatch(/leaks 0/);
    expect(text).not.toMatch(/s left \| cameras/);
    // The summary comes after the last frame, starting on a line of its own.
    const lastFrame = text.lastIndexOf('stampede storm  phase');
    const pass = text.indexOf('\nPASS');
    expect(pass).toBeGreaterThan(lastFrame);
  }, 150_000);

  it('--quiet draws nothing, the summary still prints', async () => {
    const out = runDir('tty-quiet');
    const { code, screen } = await underTerminal(
      `'${process.execPath}' '${STAMPEDE}' run storm --cameras 20 --users 10 --duration 10 --seed 22 --quiet --out '${out}'`,
      120_000,
    );
    const text = stripVTControlCharacters(screen);
    expect(code, text.slice(-3000)).toBe(0);
    expect(text).not.toContain('stampede storm  phase');
    expect(text).not.toMatch(/s left/);
    expect(text).toContain('PASS');
  }, 150_000);
});
