/**
 * The conditions that set off each incident, as drivers over a Zoo, and the same drivers without the condition.
 * Each returns every leak the users were shown. Bounded in rounds and time; the caller stops the zoo.
 */
import type { ToxiproxyClient } from '../../src/chaos/toxiproxy.ts';
import { sleep, type Leak, type Zoo } from './driver.ts';

/** The protocol's default grace window around an access change, plus a margin: after it, only one answer is right. */
const GRACE_MS = 2_100;

/**
 * wyze-2024's trigger: every camera says hello at once after an outage and sends its backlog at once, while
 * every user reopens the app (lists cameras and events) in the same moment.
 */
export async function reconnectStorm(zoo: Zoo, rounds = 3): Promise<Leak[]> {
  await zoo.connect(zoo.cameraIds, false);
  await zoo.emit(zoo.cameraIds, false);
  zoo.disconnectCameras();
  const leaks: Leak[] = [];
  const [, ...users] = await Promise.all([zoo.connect(zoo.cameraIds, true), ...zoo.userIds.map((userId) => zoo.userLeaks(userId, '/v1/events?limit=100'))]);
  leaks.push(...users.flat());
  for (let round = 0; round < rounds; round++) {
    const [, ...found] = await Promise.all([zoo.emit(zoo.cameraIds, true), ...zoo.userIds.map((userId) => zoo.userLeaks(userId, `/v1/events?limit=${101 + round}`))]);
    leaks.push(...found.flat());
  }
  return leaks;
}

/** The same fleet and users, coming back politely: one camera, one event and one user request at a time. */
export async function quietReconnect(zoo: Zoo, rounds = 3): Promise<Leak[]> {
  await zoo.connect(zoo.cameraIds, false);
  await zoo.emit(zoo.cameraIds, false);
  zoo.disconnectCameras();
  await zoo.connect(zoo.cameraIds, false);
  const leaks: Leak[] = [];
  for (const userId of zoo.userIds) leaks.push(...(await zoo.userLeaks(userId, '/v1/events?limit=100')));
  for (let round = 0; round < rounds; round++) {
    await zoo.emit(zoo.cameraIds, false);
    for (const userId of zoo.userIds) leaks.push(...(await zoo.userLeaks(userId, `/v1/events?limit=${101 + round}`)));
  }
  return leaks;
}

/** Every user lists cameras and events at once, `rounds` times or until `untilMs` passed or a leak was seen. */
export async function busyUsers(zoo: Zoo, rounds: number, untilMs: number, stopAtLeak = true): Promise<Leak[]> {
  const leaks: Leak[] = [];
  const deadline = Date.now() + untilMs;
  for (let round = 0; round < rounds && Date.now() < deadline; round++) {
    const found = await Promise.all(
      // A different limit each round, so the answers are computed afresh rather than served from the page cache.
      zoo.userIds.map((userId) => zoo.userLeaks(userId, `/v1/events?limit=${400 + round}`)),
    );
    leaks.push(...found.flat());
    if (stopAtLeak && leaks.length > 0) break;
  }
  return leaks;
}

/** The same requests, one at a time. */
export async function oneUserAtATime(zoo: Zoo, rounds: number): Promise<Leak[]> {
  const leaks: Leak[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const userId of zoo.userIds) leaks.push(...(await zoo.userLeaks(userId, `/v1/events?limit=${400 + round}`)));
  }
  return leaks;
}

/** chatgpt-2023's trigger: cache replies slower than the cloud's 250 ms cache timeout while users are busy. */
export async function cacheBrownout(zoo: Zoo, toxiproxy: ToxiproxyClient, proxy: string): Promise<Leak[]> {
  await toxiproxy.addToxic(proxy, { name: 'brownout', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 100 } });
  try {
    // Bounded by time, not rounds: while the cloud's breaker skips the slow cache, rounds are quick and find
    // nothing; the leak comes from the requests that try the cache again and time out, so give them seconds.
    return await busyUsers(zoo, 10_000, 15_000);
  } finally {
    await toxiproxy.removeToxic(proxy, 'brownout');
  }
}

/** A steady stream of GETs from users in turn, `perSecond` a second for `ms`. */
export async function steadyTraffic(zoo: Zoo, perSecond: number, ms: number): Promise<Leak[]> {
  const leaks: Leak[] = [];
  const users = zoo.userIds;
  const end = Date.now() + ms;
  for (let i = 0; Date.now() < end; i++) {
    const userId = users[i % users.length]!;
    leaks.push(...(i % 2 === 0 ? await zoo.cameraLeaks(userId) : await zoo.listLeaks(userId, '/v1/events?limit=100')));
    await sleep(1_000 / perSecond);
  }
  return leaks;
}

/** steam-2015's trigger: a steady rate long enough to be the norm, then every user at once, many times over. */
export async function requestSurge(zoo: Zoo): Promise<Leak[]> {
  const leaks = await steadyTraffic(zoo, 10, 4_500);
  for (let round = 0; round < 3; round++) {
    const found = await Promise.all(zoo.userIds.map((userId) => zoo.userLeaks(userId, '/v1/events?limit=100')));
    leaks.push(...found.flat());
  }
  return leaks;
}

/**
 * stale-acl's trigger: with streams open and pages seen, camera c0-0's share with u1 is revoked and camera
 * c2-0 moves from u2 to u3; after the grace window the former users list again and the cameras send new events.
 * u1's own camera c1-0 sends last, and its push to u1 is awaited: the streams are seen to deliver before their
 * silence counts. `change` false runs the same steps with no access change.
 */
export async function accessChangesDuringStreams(zoo: Zoo, change: boolean): Promise<Leak[]> {
  await zoo.connect(zoo.cameraIds, false);
  await zoo.emit(zoo.cameraIds, false);
  const watchers = ['u1', 'u2'];
  for (const userId of watchers) await zoo.listLeaks(userId);
  const streams = await Promise.all(watchers.map((userId) => zoo.stream(userId)));
  await sleep(300); // the stream subscribes once its token is looked up
  if (change) {
    const revoke = await zoo.t.api.admin('DELETE', '/v1/admin/cameras/c0-0/shares/u1');
    const transfer = await zoo.t.api.admin('PUT', '/v1/admin/cameras/c2-0/owner', { ownerId: 'u3' });
    if (revoke.status !== 204 || transfer.status !== 204) throw new Error(`access change failed: ${revoke.status} ${transfer.status}`);
    zoo.revoked('c0-0', 'u1');
    zoo.transferred('c2-0', 'u2', 'u3');
    await sleep(GRACE_MS);
  }
  const leaks: Leak[] = [];
  for (const userId of watchers) leaks.push(...(await zoo.listLeaks(userId)));
  for (const leak of [...leaks]) {
    const tapped = await zoo.thumbnailLeak(leak.userId, leak.eventId!);
    if (tapped) leaks.push(tapped);
  }
  const [, , own] = await zoo.emit(['c0-0', 'c2-0', 'c1-0'], false);
  await zoo.pushArrived(streams[0]!, own!);
  await sleep(500); // pushes go out before the ack, but cross another socket
  watchers.forEach((userId, index) => leaks.push(...zoo.pushLeaks(userId, streams[index]!)));
  return leaks;
}
