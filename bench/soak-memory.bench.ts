/**
 * Does the oracle's memory stay flat over a soak? Feeds it a synthetic multi-hour history generated on the fly
 * (never held in memory): events at a steady rate from a fleet, each pushed to its owner and sharees, listed in
 * pages, some thumbnails opened, a few access changes, and a client outage every 10 minutes during which events
 * pile up and are acked and delivered late. Every simulated 30 minutes it collects garbage and prints what the
 * process retains (heap plus array buffers): with the horizon, the figure must flatten once the first horizon has
 * passed, whatever the length of the run.
 *
 *   node --expose-gc --import tsx bench/soak-memory.bench.ts [hours] [events per second]
 */
import { Oracle } from '../src/oracle/oracle.ts';
import type { HistoryRecord, ShownEvent } from '../src/world/history.ts';
import type { World } from '../src/world/types.ts';
import { randomStream } from '../src/world/random.ts';

const HOURS = Number(process.argv[2] ?? 4);
const RATE = Number(process.argv[3] ?? 200);
const USERS = 500;
const CAMERAS = 1000;
const SHARES = 300;
const T0 = 1_700_000_000_000;
const REPORT_EVERY_MS = 30 * 60_000;
const OUTAGE_EVERY_MS = 10 * 60_000;
const OUTAGE_MS = 60_000;

/** The world's seeded generator, so every run of the bench judges the same history. */
function seeded(seed: number): () => number {
  const stream = randomStream(seed, 'bench');
  return () => stream.next();
}

const random = seeded(7);
const users = Array.from({ length: USERS }, (_, i) => ({ userId: `u${i}`, email: `u${i}@example.test`, password: 'pw', name: `u${i}` }));
const cameras = Array.from({ length: CAMERAS }, (_, i) => ({ cameraId: `c${i}`, secret: 's', name: `c${i}`, model: 'm', mac: '0', ownerId: `u${i % USERS}` }));
const shares = Array.from({ length: SHARES }, () => ({ cameraId: `c${Math.floor(random() * CAMERAS)}`, userId: `u${Math.floor(random() * USERS)}` }));
const world: World = { seed: 7, runId: 'soak', users, cameras, shares, changes: [], graceMs: 2000 };
const sharees = new Map<string, string[]>();
for (const s of shares) sharees.set(s.cameraId, [...(sharees.get(s.cameraId) ?? []), s.userId]);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc so the figures are retained memory, not garbage');
const retainedMiB = (): number => {
  gc();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.arrayBuffers) / 2 ** 20;
};

const baseline = retainedMiB();
const oracle = new Oracle(world, { minThumbnails: 0 });
const pages = new Map<string, ShownEvent[]>();
/** Events sent during an outage: acked and delivered when it heals, as cameras and apps catch up. */
let backlog: { t: number; cameraId: string; ownerId: string; shownEvent: ShownEvent }[] = [];
let records = 0;
const observe = (record: HistoryRecord): void => {
  records++;
  oracle.observe(record);
};

function deliver(t: number, cameraId: string, ownerId: string, shownEvent: ShownEvent): void {
  observe({ type: 'acked', t: t + 5 + random() * 40, cameraId, eventId: shownEvent.eventId });
  observe({ type: 'shown', surface: 'stream', start: t + 20, t: t + 30, userId: ownerId, events: [shownEvent] });
  for (const sharee of sharees.get(cameraId) ?? []) observe({ type: 'shown', surface: 'stream', start: t + 25, t: t + 40, userId: sharee, events: [shownEvent] });
  const page = pages.get(ownerId) ?? [];
  page.push(shownEvent);
  if (page.length >= 10) {
    observe({ type: 'shown', surface: 'list', start: t + 50, t: t + 80, userId: ownerId, events: page });
    pages.delete(ownerId);
  } else pages.set(ownerId, page);
}

const total = Math.floor(HOURS * 3600 * RATE);
const started = process.hrtime.bigint();
let nextReport = T0 + REPORT_EVERY_MS;
let outages = 0;
console.log(`soak: ${HOURS} simulated hours at ${RATE} events/s (${total.toLocaleString()} events), ${CAMERAS} cameras, ${USERS} users`);
console.log(`retained before the oracle: ${baseline.toFixed(1)} MiB`);
for (let e = 0; e < total; e++) {
  const t = T0 + (e / RATE) * 1000;
  const sinceOutage = (t - T0) % OUTAGE_EVERY_MS;
  const inOutage = t - T0 >= OUTAGE_EVERY_MS && sinceOutage < OUTAGE_MS;
  if (inOutage && backlog.length === 0) {
    outages++;
    observe({ type: 'fault', t, action: 'start', id: `outage-${outages}`, fault: 'outage', path: 'client' });
  }
  if (!inOutage && backlog.length > 0) {
    observe({ type: 'fault', t, action: 'heal', id: `outage-${outages}`, fault: 'outage', path: 'client' });
    for (const held of backlog) deliver(t, held.cameraId, held.ownerId, held.shownEvent);
    backlog = [];
  }
  const camera = cameras[Math.floor(random() * CAMERAS)]!;
  const eventId = `${camera.cameraId}.e${e}`;
  const shownEvent: ShownEvent = { eventId, cameraId: camera.cameraId, kind: 'motion', ts: t };
  observe({ type: 'sent', t, cameraId: camera.cameraId, eventId, kind: 'motion', ts: t, bytes: 4096, digest: `d${e}`, check: `k${e}` });
  if (inOutage) backlog.push({ t, cameraId: camera.cameraId, ownerId: camera.ownerId, shownEvent });
  else deliver(t, camera.cameraId, camera.ownerId, shownEvent);
  // An event sent during an outage reaches the cloud only at the heal: nobody can open its thumbnail before.
  if (random() < 0.02 && !inOutage) {
    const provenance = { runId: 'soak', cameraId: camera.cameraId, eventId, check: `k${e}` };
    observe({ type: 'thumbnail', start: t + 90, t: t + 100, userId: camera.ownerId, eventId, cameraId: camera.cameraId, probe: false, status: 200, bytes: 4096, digest: `d${e}`, provenance });
  }
  if (random() < 0.00005) {
    const userId = `u${Math.floor(random() * USERS)}`;
    observe({ type: 'access', start: t, end: t + 100, change: { kind: 'share', at: 0, cameraId: camera.cameraId, userId }, ok: true });
    const list = sharees.get(camera.cameraId) ?? [];
    sharees.set(camera.cameraId, [...list, userId]);
  }
  if (t >= nextReport) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const { checked, leaks, unknown, waiting } = oracle.progress();
    const minutes = (t - T0) / 60_000;
    console.log(
      `${minutes.toFixed(0).padStart(4)} min: retained ${(retainedMiB() - baseline).toFixed(1).padStart(6)} MiB over baseline; ` +
        `${records.toLocaleString()} records, ${checked.toLocaleString()} items checked, leaks ${leaks}, unknown ${unknown}, waiting ${waiting} (${seconds.toFixed(0)} s)`,
    );
    nextReport += REPORT_EVERY_MS;
  }
}
const end = T0 + HOURS * 3600_000;
console.log(`${(HOURS * 60).toFixed(0).padStart(4)} min: retained ${(retainedMiB() - baseline).toFixed(1).padStart(6)} MiB over baseline; ${records.toLocaleString()} records`);
const verdict = oracle.verdict(end);
console.log(`verdict: ${verdict.status} (${verdict.reasons.join("; ")}); emitted ${verdict.events.emitted}, delivered ${verdict.events.delivered}, lost ${verdict.events.lost}, late ${verdict.late ?? 0}, latency p99 ${verdict.latency.p99} ms`);
if (verdict.evidence[0] !== undefined) console.log("first leak:", JSON.stringify(verdict.evidence[0]));
console.log(`retained at the end: ${(retainedMiB() - baseline).toFixed(1)} MiB over baseline`);
