/** The reference protocol's app side: `POST /v1/login`, `GET /v1/events`, `GET /v1/cameras`, thumbnails. */
import { ANSWER_BOUNDS } from '../../protocol/limits.ts';
import { CameraList, EventPage, LoginAnswer, thumbnailPath } from '../../protocol/schema.ts';
import { TargetFailure } from '../define.ts';
import type { UserHooks } from '../types.ts';
import { clientFor, settled } from './http.ts';
import { push } from './push.ts';
import { userCalls } from './user-calls.ts';

/** A session is the bearer token. */
export const users: UserHooks<string> = {
  async login(ctx, user) {
    const answer = await clientFor(ctx).json('POST', '/v1/login', undefined, LoginAnswer, ANSWER_BOUNDS.small, { email: user.login, password: user.secret });
    return settled(answer).token;
  },

  async events(ctx, token, page) {
    const since = page.cursor === undefined ? '' : `&since=${encodeURIComponent(page.cursor)}`;
    const answer = settled(await clientFor(ctx).json('GET', `/v1/events?limit=${page.limit}${since}`, token, EventPage, ANSWER_BOUNDS.eventPage));
    return { events: answer.events, next: answer.next };
  },

  async cameras(ctx, token) {
    const answer = settled(await clientFor(ctx).json('GET', '/v1/cameras', token, CameraList, ANSWER_BOUNDS.cameraList));
    return answer.cameras;
  },

  async thumbnail(ctx, token, item) {
    const answer = await clientFor(ctx).bytes(thumbnailPath(encodeURIComponent(item.eventId)), token, ANSWER_BOUNDS.thumbnail);
    if (!answer.ok) throw new TargetFailure(answer.problem);
    return answer.value ? { status: answer.status, bytes: answer.value } : { status: answer.status };
  },

  push,
  http: userCalls,
};
