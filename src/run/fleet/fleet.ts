/**
 * The fleet: the world's cameras and users, driven against the target through the client proxy, recording what
 * they do and see. The orchestrator keeps everything else (nemesis, access changes, oracle), so how the fleet is
 * laid out changes who makes the load, never how it is judged.
 */
import type { Adapter } from '../../adapter/types.ts';
import type { Recorder, WorkerShare } from '../../world/history.ts';
import type { Camera, User, World } from '../../world/types.ts';
import type { Traffic } from '../../scenario/scenario.ts';

/** What the fleet is asked to do. Times are ms since the epoch. */
export interface FleetPlan {
  /** What the fleet talks to the backend through. */
  adapter: Adapter;
  /**
   * The client proxy's shards, each as every one of the adapter's endpoints through that shard: camera k and user
   * k of the world (their index in its arrays) go through shards[k % shards.length].
   */
  shards: readonly Record<string, string>[];
  /** `--adapter-option` values, for the hooks' context. */
  adapterOptions: Record<string, string>;
  allowRemote: boolean;
  world: World;
  /** The cameras and users this process drives (a worker's slice); all of the world's when left out. */
  slice?: { cameras: Camera[]; users: User[] };
  recorder: Recorder;
  traffic: Traffic;
  startedAt: number;
  /** Cameras stop emitting here (the drain), so deliveries can catch up before the end. */
  drainAt: number;
  /** Everything stops here. */
  endsAt: number;
  /** Initial connects and logins are spread over this long. */
  rampMs: number;
  seed: number;
  /** Progress and diagnostics. */
  log: (line: string) => void;
}

/** A fleet under way. */
export interface RunningFleet {
  camerasConnected(): number;
  usersLoggedIn(): number;
  /** Each worker process's share of the fleet, once stopped; a fleet in the run's own process has none. */
  workers?(): WorkerShare[];
  /**
   * Where the orchestrator records what it does (faults, phases, access changes) while this fleet runs, when the
   * fleet's own records reach the run late (workers batch them through the collector): both then reach the oracle
   * and the reconnect figures in one time order. Absent when the fleet records as things happen.
   */
  recorder?: Recorder;
  /**
   * Resolves, with why, when the fleet can no longer be judged while the run still goes (a worker process died):
   * the run then ends early and stop() fails naming it. Absent when nothing can break that way.
   */
  broken?: Promise<string>;
  /** Stops everything and resolves once every socket and process is gone; safe to call twice. */
  stop(): Promise<void>;
}
