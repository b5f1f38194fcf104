/**
 * An engine drives the simulated fleet: the cameras and users of the world, against the target through the
 * client proxy, recording what they do and see. The orchestrator keeps everything else (nemesis, access
 * changes, oracle), so switching engines changes who makes the load, never how it is judged.
 */
import type { EngineInstance } from '../report/summary.ts';
import type { Recorder } from '../world/history.ts';
import type { World } from '../world/types.ts';
import type { Traffic } from './scenario.ts';

export type EngineName = 'node' | 'k6';

/** What an engine is asked to do. Times are ms since the epoch. */
export interface FleetPlan {
  /** Base URL of the client proxy in front of the target. */
  target: string;
  allowRemote: boolean;
  world: World;
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
  /** Processes an engine that can split the fleet uses (k6: one per execution segment); default 1. */
  instances?: number;
  /** k6 only: start no k6 here; judge the VUs of the run exported to `exportDir`, reporting to a collector on host:port. */
  remoteFleet?: RemoteFleet;
}

/** Where the central judge of an exported k6 run (pods started elsewhere) listens for their records. */
export interface RemoteFleet {
  /** The folder `stampede k6 export` wrote: its collector token, plan and parallelism. */
  exportDir: string;
  host: string;
  port: number;
}

/** A fleet under way. */
export interface RunningFleet {
  camerasConnected(): number;
  usersLoggedIn(): number;
  /** Each process's share of the fleet, once stopped; engines that run in this process have none. */
  instances?(): EngineInstance[];
  /**
   * Where the orchestrator records what it does (faults, phases, access changes) while this fleet runs, when the
   * fleet's own records reach the run late (k6 batches them): both then reach the oracle and the reconnect
   * figures in one time order. Absent when the fleet records as things happen.
   */
  recorder?: Recorder;
  /** Stops everything and resolves once every socket and process is gone; safe to call twice. */
  stop(): Promise<void>;
}

export interface Engine {
  name: EngineName;
  start(plan: FleetPlan, signal: AbortSignal): Promise<RunningFleet>;
}
