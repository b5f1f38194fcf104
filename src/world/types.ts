/**
 * The world: who exists, who owns and shares what, and which access changes the run will make.
 * Decided up front from the seed; pure data, the same seed and scenario give the same world byte for byte.
 */

export interface User {
  userId: string;
  email: string;
  password: string;
  name: string;
}

export interface Camera {
  cameraId: string;
  /** The device credential sent in `hello`. */
  secret: string;
  name: string;
  model: string;
  mac: string;
  /** The owner when the run starts; transfers in `changes` move it. */
  ownerId: string;
}

export interface Share {
  cameraId: string;
  userId: string;
}

/**
 * An access change the run applies through the admin API. `at` is planned, in ms from the start of the run;
 * the history records when it really took effect, and the oracle judges against that.
 */
export type AccessChange =
  | { kind: 'transfer'; at: number; cameraId: string; toUserId: string }
  | { kind: 'revoke'; at: number; cameraId: string; userId: string }
  | { kind: 'share'; at: number; cameraId: string; userId: string };

export interface World {
  seed: number;
  /** Names this run in thumbnail provenance, so bytes from another run are told apart. */
  runId: string;
  users: User[];
  cameras: Camera[];
  /** Shares in force when the run starts. */
  shares: Share[];
  /** Planned access changes, sorted by `at`. */
  changes: AccessChange[];
  /** Either answer is accepted this close to an access change (docs/protocol.md: default 2 s). */
  graceMs: number;
}
