/** The camera fleet's configuration, checked once up front so a bad value is one clear error, not a crash. */
import { UsageError } from '../../src/errors.ts';
import { MAX_THUMBNAIL_BYTES } from '../../src/protocol/schema.ts';
import type { Recorder } from '../../src/world/history.ts';
import type { Camera, World } from '../../src/world/types.ts';
import type { AdapterFleetOptions } from './adapter-run.ts';
import type { RecentEvents } from './recent-events.ts';
import { type ReconnectPolicy, validatePolicy } from './reconnect.ts';

/** What `startCameraFleet` is given. Times are ms; `deadline` is ms since the epoch. */
export interface CameraFleetOptions extends AdapterFleetOptions {
  world: World;
  /** The cameras this process drives; all of the world's by default (a distributed run splits them). */
  cameras?: Camera[];
  recorder: Recorder;
  /** Events per second per camera, on average; the gaps are jittered. */
  rate: number;
  policy: ReconnectPolicy;
  /** The run key thumbnails' check values are keyed with. */
  key: string | Uint8Array;
  /** The fleet stops by itself at this time. */
  deadline: number;
  /** New events across the whole fleet never exceed this (resends of the same event do not count). */
  maxEvents: number;
  seed?: number;
  /** Thumbnail sizes, picked per event between these (bytes, inclusive). Default 2-8 KiB. */
  thumbnailBytes?: { min: number; max: number };
  /**
   * No new events in this last stretch before the deadline, so the acks of the last ones arrive before the fleet
   * closes its sockets (unacknowledged events are still resent meanwhile). Default 0.
   */
  quietMs?: number;
  /** Initial connects are spread over this long, so a fleet can also start without a stampede. Default 0. */
  rampMs?: number;
  /** A connect not accepted within this long is abandoned and retried by policy (the hooks' timeout). Default 10 s. */
  welcomeTimeoutMs?: number;
  /** An event unacknowledged for this long makes the camera drop the connection and resend. Default 15 s. */
  ackTimeoutMs?: number;
  /** Acknowledged events are shared here, so curious users know ids of other people's events. */
  recent?: RecentEvents;
}

/** Event ids are `${cameraId}.e${n}` (event-id.ts) and, like every id, at most 64 characters. */
const MAX_CAMERA_ID = 56;

export type CameraFleetConfig = Required<Omit<CameraFleetOptions, keyof AdapterFleetOptions | 'recent'>> &
  Pick<CameraFleetOptions, 'recent'>;

export function validateCameraFleetOptions(options: CameraFleetOptions): CameraFleetConfig {
  const positive = (name: string, value: number, zeroOk = false): number => {
    if (!Number.isFinite(value) || value < 0 || (!zeroOk && value === 0)) {
      throw new UsageError(`camera fleet ${name} must be a ${zeroOk ? 'non-negative' : 'positive'} number, got ${value}`);
    }
    return value;
  };
  positive('rate', options.rate);
  if (!Number.isInteger(options.maxEvents) || options.maxEvents < 0) {
    throw new UsageError(`camera fleet maxEvents must be a non-negative integer, got ${options.maxEvents}`);
  }
  if (!Number.isFinite(options.deadline)) throw new UsageError('camera fleet needs a deadline');
  const thumbnailBytes = options.thumbnailBytes ?? { min: 2048, max: 8192 };
  if (!(thumbnailBytes.min >= 256 && thumbnailBytes.max >= thumbnailBytes.min && thumbnailBytes.max <= MAX_THUMBNAIL_BYTES)) {
    throw new UsageError(`thumbnail sizes must satisfy 256 <= min <= max <= ${MAX_THUMBNAIL_BYTES}`);
  }
  if (typeof options.key === 'string' ? options.key.length === 0 : options.key.length === 0) {
    throw new UsageError('camera fleet needs a non-empty run key');
  }
  if (!/^[\x20-\x7e]{1,255}$/.test(options.world.runId)) {
    throw new UsageError('the run id must be 1..255 printable ASCII characters (it goes into every thumbnail)');
  }
  const cameras = options.cameras ?? options.world.cameras;
  const tooLong = cameras.find((camera) => camera.cameraId.length > MAX_CAMERA_ID);
  if (tooLong) {
    throw new UsageError(`camera id ${tooLong.cameraId} is too long for event ids`, `keep camera ids to ${MAX_CAMERA_ID} characters, event ids add up to 8`);
  }
  return {
    world: options.world,
    cameras,
    recorder: options.recorder,
    rate: options.rate,
    policy: validatePolicy(options.policy),
    key: options.key,
    deadline: options.deadline,
    maxEvents: options.maxEvents,
    seed: options.seed ?? options.world.seed,
    thumbnailBytes,
    rampMs: positive('rampMs', options.rampMs ?? 0, true),
    quietMs: positive('quietMs', options.quietMs ?? 0, true),
    welcomeTimeoutMs: positive('welcomeTimeoutMs', options.welcomeTimeoutMs ?? 10_000),
    ackTimeoutMs: positive('ackTimeoutMs', options.ackTimeoutMs ?? 15_000),
    recent: options.recent,
  };
}
