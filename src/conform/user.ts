/** The app's calls as one user makes them, every answer validated against the protocol's schemas. */
import { ANSWER_BOUNDS } from '../protocol/limits.ts';
import { CameraList, EventPage, LoginAnswer, type CameraEntry, type Event } from '../protocol/schema.ts';
import { expectStatus, parseAnswer } from './answers.ts';
import type { Answer } from './client.ts';
import { Mismatch } from './expectation.ts';
import type { FixtureUser } from './fixture.ts';
import type { Target } from './target.ts';

/** Pages walked at most when listing everything, so a target whose cursor never ends cannot loop us. */
const MAX_PAGES = 50;

export async function login(target: Target, user: FixtureUser): Promise<string> {
  const answer = await target.http.call('POST', '/v1/login', { json: { email: user.email, password: user.password } });
  expectStatus(answer, 200);
  const { token, userId } = parseAnswer(answer, LoginAnswer, '{"token","userId"}');
  if (userId !== user.userId) throw new Mismatch(`userId ${userId}`, `userId ${user.userId}`);
  return token;
}

export async function cameras(target: Target, token: string): Promise<CameraEntry[]> {
  const answer = await target.http.call('GET', '/v1/cameras', { token, maxBytes: ANSWER_BOUNDS.cameraList });
  expectStatus(answer, 200);
  return parseAnswer(answer, CameraList, '{"cameras":[{"cameraId","role","online"}]}').cameras;
}

export async function eventPage(target: Target, token: string, since?: string, limit?: number): Promise<EventPage> {
  const query = new URLSearchParams();
  if (since !== undefined) query.set('since', since);
  if (limit !== undefined) query.set('limit', String(limit));
  const answer = await target.http.call('GET', `/v1/events${query.size > 0 ? `?${query}` : ''}`, { token, maxBytes: ANSWER_BOUNDS.eventPage });
  expectStatus(answer, 200);
  return parseAnswer(answer, EventPage, '{"events":[Event...],"next"}');
}

/** Every event visible to the user, walking `next` cursors until a page comes back empty. */
export async function allEvents(target: Target, token: string): Promise<Event[]> {
  const events: Event[] = [];
  let since: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { events: batch, next } = await eventPage(target, token, since, 500);
    if (batch.length === 0) return events;
    events.push(...batch);
    since = next;
  }
  throw new Mismatch(`more than ${MAX_PAGES} non-empty pages`, 'the event list to end (an empty page)');
}

export async function thumbnail(target: Target, token: string, eventId: string): Promise<Answer> {
  return target.http.call('GET', `/v1/events/${encodeURIComponent(eventId)}/thumbnail`, { token, maxBytes: ANSWER_BOUNDS.thumbnail });
}

export function ids(events: { eventId: string }[]): string[] {
  return events.map((event) => event.eventId);
}
