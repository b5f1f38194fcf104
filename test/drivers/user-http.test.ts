/**
 * The users' HTTP client reads a target's answers to a bound per call: an endless body is a problem naming the
 * call and the bound (an `error` record in a run), read a few KiB into, never a body held in memory whole.
 */
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_BOUNDS } from '../../src/protocol/limits.ts';
import { EventPage, LoginAnswer } from '../../src/protocol/schema.ts';
import { TargetClient } from '../../src/adapter/reference/http.ts';
import { startEndlessTarget, type EndlessTarget } from '../helpers/endless-target.ts';

let target: EndlessTarget;
let agent: Agent;
beforeAll(async () => {
  target = await startEndlessTarget('user-api');
  agent = new Agent({ connections: 4 });
});
afterAll(async () => {
  await agent?.close();
  await target?.stop();
});

describe('TargetClient against endless answers', () => {
  // A timeout far beyond the test's: an unbounded reader is still reading when the test gives up.
  const client = (): TargetClient => new TargetClient(target.url, agent, 600_000, new AbortController().signal);

  it('a login answer past 64 KiB is a problem naming the call and the bound', async () => {
    const answer = await client().json('POST', '/v1/login', undefined, LoginAnswer, ANSWER_BOUNDS.small, { email: 'a', password: 'b' });
    expect(answer).toEqual({ ok: false, status: 200, problem: 'POST /v1/login answered more than 64 KiB, the most Stampede reads for that call' });
  });

  it('an events page past 2000 KiB (500 events of 4 KiB) is a problem, the query left out', async () => {
    const answer = await client().json('GET', '/v1/events?limit=500&since=abc', 'token', EventPage, ANSWER_BOUNDS.eventPage);
    expect(answer).toEqual({ ok: false, status: 200, problem: 'GET /v1/events answered more than 2000 KiB, the most Stampede reads for that call' });
  });

  it('a thumbnail past 64 KiB is a problem', async () => {
    const answer = await client().bytes('/v1/events/e1/thumbnail', 'token', ANSWER_BOUNDS.thumbnail);
    expect(answer).toEqual({ ok: false, status: 200, problem: 'GET /v1/events/e1/thumbnail answered more than 64 KiB, the most Stampede reads for that call' });
  });
});
