/**
 * The refresh storm's driving against plain autocannon, side by side in one run, against the same reference cloud
 * (in a child process) with the same users, tokens and request mix: each user's event list (caught up, so the
 * pages are the new events only), camera list and a thumbnail of one of its events, one connection per user, as
 * fast as the cloud answers. Plain autocannon reads nothing; the checked driver parses every answer through the
 * adapter's `users.http`, checks every item's shape and records it (each record serialised to JSON, as a worker
 * ships it). Rounds alternate so both see the same machine; prints requests/s of each round, the medians and the
 * ratio, and fails (exit 1) when the checked storm keeps less than 0.8x plain autocannon's requests a second.
 *
 *   node --import tsx bench/refresh-storm.bench.ts [users] [seconds per round] [rounds]
 */
import autocannon, { type Client } from 'autocannon';
import { referenceAdapter } from '../src/adapter/reference/index.ts';
import type { AdapterContext } from '../src/adapter/types.ts';
import { worldUserOf } from '../src/adapter/world-view.ts';
import type { HistoryRecord, Recorder } from '../src/world/history.ts';
import { generateWorld } from '../src/world/generate.ts';
import { worldToSeed } from '../src/world/seed.ts';
import { adminClient } from '../simulators/protocol/admin.ts';
import { startCameraFleet } from '../simulators/protocol/camera-fleet.ts';
import { startRefreshFleet } from '../simulators/protocol/refresh-fleet.ts';
import { startCloudChild } from './cloud-child.ts';
import { everyday } from '../scenarios/traffic.ts';

const FLOOR = 0.8;
const PAGE = 100;

process.exitCode = await bench(Number(process.argv[2] ?? 50), Number(process.argv[3] ?? 5), Number(process.argv[4] ?? 3));

async function bench(userCount: number, seconds: number, rounds: number): Promise<number> {
  const cloud = await startCloudChild();
  const { url, adminToken } = cloud;
  try {
    const world = generateWorld({
      seed: 1, users: userCount, cameras: userCount * 2, transfers: 0, revocations: 0,
      timeline: { durationMs: 60_000, storm: { startMs: 20_000, endMs: 40_000 } },
    });
    await adminClient(url, adminToken, { timeoutMs: 60_000 }).seed(worldToSeed(world));
    const endpoints = { target: url };
    // A few events per camera, so the users have thumbnails to open.
    const cameras = startCameraFleet({
      adapter: referenceAdapter, endpoints, world, recorder: { record() {} }, rate: 2, policy: everyday.reconnect,
      key: 'bench', deadline: Date.now() + 4_000, maxEvents: world.cameras.length * 6,
    });
    await cameras.done;
    const plainUsers = await caughtUp(world, endpoints);
    console.log(`${userCount} users, one connection each, ${seconds} s a round, ${rounds} rounds each, alternating`);
    const plain: number[] = [];
    const checked: number[] = [];
    for (let round = 0; round < rounds; round++) {
      plain.push(await plainRound(url, plainUsers, seconds));
      const run = await checkedRound(world, endpoints, seconds);
      checked.push(run.perSecond);
      console.log(`round ${round + 1}: plain autocannon ${plain.at(-1)!.toFixed(0)} requests/s, checked refresh storm ${run.perSecond.toFixed(0)} requests/s ` +
        `(${run.records} records, ${(run.bytes / 1024).toFixed(0)} KiB of JSON)`);
    }
    const ratio = median(checked) / median(plain);
    console.log(`median: plain ${median(plain).toFixed(0)} requests/s, checked ${median(checked).toFixed(0)} requests/s; ratio ${ratio.toFixed(2)} (floor ${FLOOR})`);
    return ratio >= FLOOR ? 0 : 1;
  } finally {
    await cloud.stop();
  }
}

interface PlainUser {
  token: string;
  cursor: string | undefined;
  eventId: string | undefined;
}

/** Each user logged in and caught up with its event list, as the checked driver is after its first round. */
async function caughtUp(world: ReturnType<typeof generateWorld>, endpoints: Record<string, string>): Promise<PlainUser[]> {
  const ctx: AdapterContext = { endpoints, signal: new AbortController().signal, timeoutMs: 10_000, options: {} };
  const { users } = referenceAdapter;
  return Promise.all(world.users.map(async (user) => {
    const token = (await users.login(ctx, worldUserOf(user))) as string;
    let cursor: string | undefined;
    let eventId: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await users.events(ctx, token, { cursor, limit: PAGE });
      eventId ??= page.events[0]?.eventId;
      if (page.events.length === 0) break;
      cursor = page.next;
    }
    return { token, cursor, eventId };
  }));
}

/** Plain autocannon: the same three requests per user, built once, answers read by nobody. */
async function plainRound(url: string, users: PlainUser[], seconds: number): Promise<number> {
  let given = 0;
  const raw = await new Promise<Record<string, number>>((resolve, reject) => {
    (autocannon as unknown as (options: object, done: (error: Error | null, raw: Record<string, number>) => void) => void)({
      url, connections: users.length, duration: seconds, skipAggregateResult: true,
      setupClient(client: Client) {
        const user = users[given++]!;
        const calls = referenceAdapter.users.http!;
        const requests = [calls.events.request(user.token, { cursor: user.cursor, limit: PAGE }), calls.cameras.request(user.token)];
        if (user.eventId) requests.push(calls.thumbnail.request(user.token, { eventId: user.eventId, cameraId: '' }));
        client.setRequests(requests.map(({ method, path, headers }) => ({ method, path, headers })));
      },
    }, (error, result) => (error ? reject(error) : resolve(result)));
  });
  return raw.totalCompletedRequests! / raw.duration!;
}

/** The refresh storm's users as a run drives them, their records serialised as a worker ships them. */
async function checkedRound(world: ReturnType<typeof generateWorld>, endpoints: Record<string, string>, seconds: number): Promise<{ perSecond: number; records: number; bytes: number }> {
  let load: Extract<HistoryRecord, { type: 'load' }> | undefined;
  let bytes = 0;
  let records = 0;
  const recorder: Recorder = {
    record(record) {
      records++;
      bytes += JSON.stringify(record).length;
      if (record.type === 'load') load = record;
    },
  };
  const fleet = startRefreshFleet({
    adapter: referenceAdapter, endpoints, world, recorder, deadline: Date.now() + seconds * 1000 + 1_000, maxRequests: 10_000_000,
    pageLimit: PAGE, ratePerUser: 0, burstMs: 0, probeEvery: 0,
  });
  await fleet.done;
  if (!load) throw new Error('the refresh fleet recorded no autocannon figures');
  const stats = fleet.stats();
  if (stats.adapterFaults > 0 || stats.pages === 0 || stats.thumbnails === 0) throw new Error(`the refresh fleet did not read what it should: ${JSON.stringify(stats)}`);
  const raw = load.result as Record<string, number>;
  return { perSecond: raw.totalCompletedRequests! / raw.duration!, records, bytes };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
