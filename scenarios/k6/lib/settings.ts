/**
 * The run-time settings of the k6 script, from environment variables (`k6 run -e` or the TestRun's env), so one
 * archive runs against any target and collector. Secrets (the collector token, the run key) come only from here,
 * never from the plan file, so the archive carries none.
 */
import { isLoopbackHost } from '../../../src/protocol/loopback.ts';

export interface K6Settings {
  /** Absolute path of the plan JSON. */
  planPath: string;
  /** Where VUs send their observations in batches; empty: standalone, only the in-VU leak gate judges. */
  collectorUrl: string;
  collectorToken: string;
  /** Keys the thumbnails' check values; the oracle compares the values the cameras record, never the key. */
  runKey: string;
  /** This process's number among the run's k6 instances (0-based) when the orchestrator says; see instance.ts. */
  instance: number | undefined;
  /** The run's start (ms since the epoch) when an orchestrator set it; otherwise setup() takes "now". */
  startedAt: number | undefined;
  /** Overrides the plan's target: the same archive pointed at another backend. */
  target: string | undefined;
  allowRemote: boolean;
}

export function readSettings(env: Record<string, string | undefined>): K6Settings {
  const planPath = env.STAMPEDE_PLAN ?? '';
  if (planPath === '') throw new Error('set STAMPEDE_PLAN to the plan file `stampede k6 export` or the k6 engine wrote');
  const collectorUrl = env.STAMPEDE_COLLECTOR ?? '';
  const collectorToken = env.STAMPEDE_COLLECTOR_TOKEN ?? '';
  if (collectorUrl !== '' && collectorToken === '') throw new Error('STAMPEDE_COLLECTOR needs STAMPEDE_COLLECTOR_TOKEN');
  const instance = env.STAMPEDE_INSTANCE ? Number(env.STAMPEDE_INSTANCE) : undefined;
  if (instance !== undefined && !(Number.isInteger(instance) && instance >= 0)) {
    throw new Error(`STAMPEDE_INSTANCE must be a whole number, got ${env.STAMPEDE_INSTANCE}`);
  }
  const startedAt = env.STAMPEDE_STARTED_AT ? Number(env.STAMPEDE_STARTED_AT) : undefined;
  if (startedAt !== undefined && !Number.isFinite(startedAt)) throw new Error('STAMPEDE_STARTED_AT must be ms since the epoch');
  return {
    planPath,
    collectorUrl,
    collectorToken,
    runKey: env.STAMPEDE_RUN_KEY || 'stampede-k6-standalone',
    instance,
    startedAt,
    target: env.STAMPEDE_TARGET || undefined,
    allowRemote: env.STAMPEDE_ALLOW_REMOTE === '1',
  };
}

/** The target's HTTP and WebSocket bases; load only goes to loopback unless remote targets are allowed. */
export function targetBases(target: string, allowRemote: boolean): { httpBase: string; wsBase: string } {
  const match = /^(https?):\/\/([^/]+)(\/.*)?$/.exec(target);
  if (!match) throw new Error(`target ${target} is not an http(s) URL`);
  const [, scheme, authority, path] = match as unknown as [string, string, string, string | undefined];
  const host = authority.replace(/:\d+$/, '');
  if (!allowRemote && !isLoopbackHost(host)) {
    throw new Error(`target host ${host} is not loopback; set STAMPEDE_ALLOW_REMOTE=1 only for a backend you own`);
  }
  const base = `${authority}${(path ?? '').replace(/\/+$/, '')}`;
  return { httpBase: `${scheme}://${base}`, wsBase: `${scheme === 'https' ? 'wss' : 'ws'}://${base}` };
}
