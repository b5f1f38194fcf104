import { describe, expect, it } from 'vitest';
import { runLifecycle, type Step } from '../../src/run/lifecycle.ts';

function tracked(log: string[], title: string, fail = false): Step<unknown> {
  return {
    title,
    setup() {
      log.push(`up ${title}`);
      if (fail) throw new Error(`${title} broke`);
      return () => void log.push(`down ${title}`);
    },
  };
}

describe('runLifecycle', () => {
  it('tears down in reverse order after the body', async () => {
    const log: string[] = [];
    const result = await runLifecycle({}, [tracked(log, 'a'), tracked(log, 'b')], new AbortController().signal, async () => {
      log.push('body');
    });
    expect(log).toEqual(['up a', 'up b', 'body', 'down b', 'down a']);
    expect(result).toEqual({ aborted: false, teardownErrors: [] });
  });

  it('stops at a failing step, names it, and still tears down what was set up', async () => {
    const log: string[] = [];
    const steps = [tracked(log, 'a'), { title: 'quiet', setup: () => undefined }, tracked(log, 'b', true), tracked(log, 'c')];
    const result = await runLifecycle({}, steps, new AbortController().signal, async () => void log.push('body'));
    expect(log).toEqual(['up a', 'up b', 'down a']);
    expect(result.failed?.title).toBe('b');
  });

  it('honours an abort between steps and reports it', async () => {
    const log: string[] = [];
    const abort = new AbortController();
    const steps: Step<unknown>[] = [tracked(log, 'a'), { title: 'stop', setup: () => abort.abort() }, tracked(log, 'b')];
    const result = await runLifecycle({}, steps, abort.signal, async () => void log.push('body'));
    expect(log).toEqual(['up a', 'down a']);
    expect(result.aborted).toBe(true);
  });

  it('keeps tearing down when a teardown throws', async () => {
    const log: string[] = [];
    const bad: Step<unknown> = { title: 'bad', setup: () => () => { throw new Error('stuck'); } };
    const result = await runLifecycle({}, [tracked(log, 'a'), bad], new AbortController().signal);
    expect(log).toEqual(['up a', 'down a']);
    expect(result.teardownErrors.map((e) => e.title)).toEqual(['bad']);
  });
});
