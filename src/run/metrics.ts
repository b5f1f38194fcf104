/**
 * `--metrics-port`: Prometheus metrics (prom-client) on 127.0.0.1 while a run lasts, so a soak can be watched in
 * Grafana. Two feeds: a Recorder sink in the run's FanOut counts records as they happen (events, items shown,
 * errors, and live latency histograms); the LiveRun is read at each scrape for gauges and the oracle's counters.
 *
 * The histograms are a live approximation: delivery latency runs from an event's ack to the first time anyone
 * was shown it (the oracle's exact figure, to an entitled user and not before one had logged in, is in summary.json
 * at the end); reconnect time
 * from a camera's socket closing to its next welcome.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { UsageError } from '../errors.ts';
import type { BySurface } from '../oracle/verdict.ts';
import type { HistoryRecord, Recorder } from '../world/history.ts';
import type { Step } from './lifecycle.ts';
import type { LiveRun, Watcher } from './live.ts';

/** The running endpoint: register `sink` with the run's recorder and `watch` with its watchers; `stop` at the end. */
export interface MetricsEndpoint {
  /** e.g. http://127.0.0.1:9464/metrics */
  url: string;
  sink: Recorder;
  watch: Watcher;
  stop(): Promise<void>;
}

/** What the metrics step needs of a run's state: its recorder, its log, and a place to keep the endpoint. */
export interface MetricsHost {
  recorder: { add(name: string, sink: Recorder): unknown };
  io: { log(line: string): void };
  metrics?: MetricsEndpoint;
}

/** The lifecycle step that serves the run's metrics from before the first step until after the last teardown. */
export function metricsStep<C extends MetricsHost>(port: number): Step<C> {
  return {
    title: 'the metrics endpoint',
    async setup(state) {
      const endpoint = await startMetricsEndpoint(port);
      state.metrics = endpoint;
      state.recorder.add('metrics', endpoint.sink);
      state.io.log(`stampede: Prometheus metrics at ${endpoint.url} while the run lasts`);
      return () => endpoint.stop();
    },
  };
}

/** Acked events waiting for their first sighting; the oldest are dropped past this, keeping memory bounded. */
const MAX_AWAITING_DELIVERY = 50_000;
/** Distinct error sources labelled; more fall under `other`, so a chatty source cannot blow up the series. */
const MAX_ERROR_SOURCES = 16;
const SURFACES = ['list', 'stream', 'thumbnail', 'cameras'] as const;

/** Starts the endpoint on 127.0.0.1:`port` (0: any free port). A port in use is a usage error. */
export async function startMetricsEndpoint(port: number): Promise<MetricsEndpoint> {
  const registry = new Registry();
  let live: LiveRun | undefined;
  const metrics = defineMetrics(registry, () => live);
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '/').split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`),
    );
  });
  await listen(server, port);
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/metrics`,
    sink: { record: (record) => metrics.observe(record) },
    // The LiveRun is kept after the watcher stops, so a last scrape during teardown still reads the final figures.
    watch: (run) => ((live = run), () => undefined),
    stop: () => close(server),
  };
}

function defineMetrics(registry: Registry, live: () => LiveRun | undefined) {
  const registers = [registry];
  const gauge = (name: string, help: string, read: (run: LiveRun) => number) =>
    new Gauge({
      name, help, registers,
      collect() {
        const run = live();
        if (run) this.set(read(run));
      },
    });
  gauge('stampede_cameras_connected', 'Simulated cameras with a welcomed device socket', (run) => run.cameras.connected());
  gauge('stampede_cameras_simulated', 'Simulated cameras in the world', (run) => run.cameras.total);
  gauge('stampede_users_logged_in', 'Simulated users logged in', (run) => run.users.loggedIn());
  gauge('stampede_users_simulated', 'Simulated users in the world', (run) => run.users.total);
  gauge('stampede_run_seconds_left', 'Seconds until the planned end of the run', (run) => Math.max(0, (run.endsAt - Date.now()) / 1000));
  new Gauge({
    name: 'stampede_phase', help: 'The current phase of the scenario (1 on the current one)', labelNames: ['scenario', 'phase'], registers,
    collect() {
      const run = live();
      if (!run) return;
      // One series at a time: the phase that ended drops out rather than lingering at its last value.
      this.reset();
      this.set({ scenario: run.scenario, phase: run.phase() }, 1);
    },
  });
  new Gauge({
    name: 'stampede_faults_active', help: 'Faults in force now, by fault and path', labelNames: ['fault', 'path'], registers,
    collect() {
      const run = live();
      if (!run) return;
      this.reset();
      for (const active of run.activeFaults()) {
        const [fault = active, path = ''] = active.split('@');
        this.inc({ fault, path });
      }
    },
  });
  gauge('stampede_oracle_judging', 'Whether the live oracle has yet to judge anything (1 until an item outlived its settle delay; leak counts before that say nothing)',
    (run) => (run.checks().judged ? 0 : 1));
  surfaceCounter(registry, 'stampede_items_checked_total', 'Items the live oracle judged, by surface', () => live()?.surfaces().checked);
  surfaceCounter(registry, 'stampede_leaks_total', 'Cross-account leaks the live oracle counted, by surface', () => live()?.surfaces().leaks);

  const sent = new Counter({ name: 'stampede_events_sent_total', help: 'Events cameras sent, retries included', registers });
  const acked = new Counter({ name: 'stampede_events_acked_total', help: 'Event acks cameras received', registers });
  const retries = new Counter({
    name: 'stampede_camera_retries_total', help: 'Failed camera connects, counted when the camera is next welcomed (or stops)', registers,
  });
  const shown = new Counter({ name: 'stampede_items_shown_total', help: 'Items users were shown (deliveries), by surface', labelNames: ['surface'], registers });
  const errors = new Counter({ name: 'stampede_errors_total', help: 'Errors recorded by drivers, nemesis and access changes, by source', labelNames: ['source'], registers });
  const delivery = new Histogram({
    name: 'stampede_delivery_latency_seconds', help: 'From an event\'s ack to its first sighting by any user (live approximation)', registers,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  });
  const reconnect = new Histogram({
    name: 'stampede_reconnect_seconds', help: 'From a camera\'s socket closing to its next welcome', registers,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  });
  for (const surface of SURFACES) shown.inc({ surface }, 0);

  const ackedAt = new Map<string, number>();
  const closedAt = new Map<string, number>();
  const sources = new Set<string>();
  const observe = (record: HistoryRecord): void => {
    switch (record.type) {
      case 'sent':
        return sent.inc();
      case 'acked':
        acked.inc();
        if (!ackedAt.has(record.eventId)) {
          if (ackedAt.size >= MAX_AWAITING_DELIVERY) ackedAt.delete(ackedAt.keys().next().value!);
          ackedAt.set(record.eventId, record.t);
        }
        return;
      case 'shown':
        shown.inc({ surface: record.surface }, record.events.length);
        for (const event of record.events) {
          const at = ackedAt.get(event.eventId);
          if (at === undefined) continue;
          ackedAt.delete(event.eventId);
          delivery.observe(Math.max(0, record.t - at) / 1000);
        }
        return;
      case 'cameras':
        return shown.inc({ surface: 'cameras' }, record.cameras.length);
      case 'thumbnail':
        if (record.status === 200) shown.inc({ surface: 'thumbnail' });
        return;
      case 'camera':
        if (record.retries) retries.inc(record.retries);
        if (record.state === 'closed') closedAt.set(record.cameraId, record.t);
        else if (record.state === 'welcome') {
          const at = closedAt.get(record.cameraId);
          if (at !== undefined) reconnect.observe(Math.max(0, record.t - at) / 1000);
          closedAt.delete(record.cameraId);
        }
        return;
      case 'error': {
        if (sources.size < MAX_ERROR_SOURCES) sources.add(record.source);
        return errors.inc({ source: sources.has(record.source) ? record.source : 'other' }, record.count ?? 1);
      }
      default:
        return;
    }
  };
  return { observe };
}

/** A counter by surface whose values live elsewhere (the oracle): at each scrape it rises by what the source gained. */
function surfaceCounter(registry: Registry, name: string, help: string, read: () => BySurface | undefined): void {
  const last: BySurface = { list: 0, stream: 0, thumbnail: 0, cameras: 0 };
  new Counter({
    name, help, labelNames: ['surface'], registers: [registry],
    collect() {
      const now = read();
      for (const surface of SURFACES) {
        const gained = now ? now[surface] - last[surface] : 0;
        if (gained > 0) last[surface] = now![surface];
        this.inc({ surface }, Math.max(0, gained));
      }
    },
  });
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        reject(new UsageError(`--metrics-port ${port} cannot be used (${error.code})`, 'pick another port, or 0 for any free one'));
      } else reject(error);
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // A Prometheus scraper keeps its connection alive; the run's end must not wait for it to hang up.
    server.closeAllConnections();
  });
}
