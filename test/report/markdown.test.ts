import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { runResult } from './junit-fixtures.ts';

describe('summary.md', () => {
  it('leads with the incident in people terms, then surfaces, gates, first leaks and the repeat command', () => {
    const result = runResult({ leaks: { list: 4, thumbnail: 3 }, gates: ['reconnect.p95<500ms'] });
    const md = renderMarkdown(result);
    const lines = md.split('\n');
    expect(lines[0]).toBe('## Stampede storm: FAIL (cross-account leaks)');
    expect(md).toContain('**7 users were shown events from cameras that are not theirs; 3 of them opened one.**');
    expect(md).toContain('| event lists (`GET /v1/events`) | 300 | **4** |');
    expect(md).toContain('| camera lists (`GET /v1/cameras`) | 200 | 0 |');
    expect(md).toContain('| `reconnect.p95` | `< 500ms` | 900 ms | **breached** |');
    expect(md).toContain('| `delivery.p99` | `< 2s` | 1,200 ms | pass |');
    expect(md).toContain('### First leaks (5 of 7)');
    expect(md).toContain('1. u-000000 was shown event e-0 of camera c-0 (owner u-000900) via GET /v1/events');
    expect(md).not.toContain('6. ');
    expect(md).toContain('- gate reconnect.p95 < 500ms breached: it was 900 ms');
    expect(md).toContain('```sh\nbin/stampede run storm --seed 7\n```');
  });

  it('says reconnect is unknown after an outage whose heal was never confirmed, not that cameras never came back', () => {
    const result = runResult();
    result.summary.reconnect = { ...result.summary.reconnect, outages: 0, unhealed: 1, missing: 0, perOutage: [] };
    const md = renderMarkdown(result);
    expect(md).toContain('Reconnect unknown after 1 outage whose heal was never confirmed.');
    expect(md).not.toContain('never came back');
  });

  it('names the embedded cloud a run stormed, or the target it was given', () => {
    const stormed = (target: string) => {
      const result = runResult();
      result.summary.target = target;
      return renderMarkdown(result);
    };
    expect(stormed('embedded')).toContain('the embedded reference cloud');
    expect(stormed('embedded mqtt')).toContain('the embedded mqtt cloud');
    expect(stormed('embedded mqtt')).not.toContain('reference');
    expect(stormed('http://127.0.0.1:9000')).toContain('`http://127.0.0.1:9000`');
  });

  it('a pass says so plainly and lists no leaks or reasons', () => {
    const md = renderMarkdown(runResult());
    expect(md.split('\n')[0]).toBe('## Stampede storm: PASS');
    expect(md).toContain('**No user was shown anything that is not theirs** (900 items checked).');
    expect(md).not.toContain('First leaks');
    expect(md).not.toMatch(/^- /m);
  });

  it('tells a gate failure, an unjudged run and a killed run apart from a leak', () => {
    expect(renderMarkdown(runResult({ gates: ['delivery.p99<1s'] })).split('\n')[0]).toBe('## Stampede storm: FAIL (gates breached)');
    const unknown = renderMarkdown(runResult({ unknown: true }));
    expect(unknown.split('\n')[0]).toBe('## Stampede storm: ERROR (no verdict)');
    expect(unknown).toContain('but that is not enough to pass');
    expect(unknown).toContain('- only 0 thumbnails checked (at least 1 needed)');
    const killed = renderMarkdown(runResult({ interrupted: 'the journal has no end mark' }));
    expect(killed).toContain('**The run stopped early:** the journal has no end mark.');
  });

  it('lists each worker\'s share of a split fleet, a shortfall in bold, and nothing for an unsplit one', () => {
    const md = renderMarkdown(runResult({ workers: [
      { worker: 1, cameras: 40, users: 20, recordsSent: 500, recordsReceived: 500 },
      { worker: 2, cameras: 40, users: 20, recordsSent: 510, recordsReceived: 498 },
      { worker: 3, cameras: 0, users: 0, recordsSent: null, recordsReceived: 0 },
    ] }));
    expect(md).toContain('The fleet ran as 3 worker processes');
    expect(md).toContain('| 1 | 40 | 20 | 500 | 500 |');
    expect(md).toContain('| 2 | 40 | 20 | 510 | **498** |');
    expect(md).toContain('| 3 | 0 | 0 | unknown | **0** |');
    expect(renderMarkdown(runResult())).not.toContain('worker');
  });

  it('keeps table cells whole when text holds pipes or newlines', () => {
    const result = runResult({ leaks: { list: 1 } });
    result.evidence[0]!.recipient = 'u|1\nx';
    const md = renderMarkdown(result);
    expect(md).toContain('1. u\\|1 x was shown');
  });
});
