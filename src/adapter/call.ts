/**
 * How the drivers read what a hook did. A hook's throw is one of three things: the backend's answer (`Refusal`),
 * the backend or the network failing (`TargetFailure`, a refused or reset connection, a timeout, an abort), or the
 * adapter failing (anything else), which is an adapter fault. What a hook returns is checked by hand, cheaply (it
 * sits on the hot path): a wrong shape is an adapter fault too, never an observation.
 */
import { UsageError } from '../errors.ts';
import { Refusal, TargetFailure } from './define.ts';

export type HookFailure =
  /** The backend refused (401: log in again). */
  | { kind: 'refused'; status: number; message: string; code?: number }
  /** The backend or the network failed: an ordinary target error. */
  | { kind: 'target'; message: string; code?: number }
  /** The adapter failed: recorded naming the adapter, and the run cannot pass. */
  | { kind: 'fault'; message: string };

/** Node, undici and ws error codes that mean the connection, not the adapter, failed. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE', 'ABORT_ERR',
]);
const NETWORK_NAMES = new Set(['AbortError', 'TimeoutError']);
/** Messages of transports that throw plain errors: ws handshakes, mqtt.js connects, fetch. */
const NETWORK_MESSAGE = /^(Unexpected server response|socket hang up|Opening handshake has timed out|WebSocket was closed before|connack timeout|Connection refused|Connection closed|client disconnecting|Keepalive timeout|fetch failed|other side closed|This operation was aborted)/i;

export function classifyFailure(error: unknown): HookFailure {
  if (error instanceof Refusal) return { kind: 'refused', status: error.status, message: error.message, code: numericCode(error) };
  if (error instanceof TargetFailure) return { kind: 'target', message: error.message, code: error.code };
  if (isNetworkFailure(error)) return { kind: 'target', message: (error as Error).message };
  return { kind: 'fault', message: faultText(error) };
}

/** A network failure, looking through `cause` chains (`fetch failed` carries the socket's error there). */
export function isNetworkFailure(error: unknown): boolean {
  for (let depth = 0; error && typeof error === 'object' && depth < 4; depth++) {
    const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR_') || code.startsWith('WS_ERR_'))) return true;
    // mqtt.js CONNACK refusals carry the broker's numeric reason code: the backend's answer, not the adapter's.
    if (typeof code === 'number' && name === 'ErrorWithReasonCode') return true;
    if (typeof name === 'string' && NETWORK_NAMES.has(name)) return true;
    if (typeof message === 'string' && NETWORK_MESSAGE.test(message)) return true;
    error = (error as { cause?: unknown }).cause;
  }
  return false;
}

function numericCode(error: Error): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** What an adapter's throw says, in one line. */
function faultText(error: unknown): string {
  if (error instanceof Error) return `threw ${error.name}: ${error.message.split('\n')[0]!.slice(0, 200)}`;
  return `threw ${typeof error === 'string' ? JSON.stringify(error.slice(0, 200)) : String(error)}`;
}

// Shape checks: each returns what is wrong, or undefined when the value has the contract's shape.

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function shownItemProblem(item: unknown): string | undefined {
  if (!isObject(item)) return 'an item is not an object';
  if (typeof item.eventId !== 'string' || item.eventId === '') return 'an item has no eventId string';
  if (typeof item.cameraId !== 'string' || item.cameraId === '') return 'an item has no cameraId string';
  if (item.kind !== undefined && typeof item.kind !== 'string') return 'an item\'s kind is not a string';
  if (item.ts !== undefined && !Number.isFinite(item.ts)) return 'an item\'s ts is not a number';
  return undefined;
}

export function eventPageProblem(page: unknown): string | undefined {
  if (!isObject(page) || !Array.isArray(page.events)) return 'returned no { events: [...] }';
  if (page.next !== undefined && typeof page.next !== 'string') return 'returned a next that is not a string';
  for (const item of page.events as unknown[]) {
    const problem = shownItemProblem(item);
    if (problem) return `returned ${problem}`;
  }
  return undefined;
}

export function camerasProblem(cameras: unknown): string | undefined {
  if (!Array.isArray(cameras)) return 'returned no array of cameras';
  for (const camera of cameras as unknown[]) {
    if (!isObject(camera) || typeof camera.cameraId !== 'string' || camera.cameraId === '') return 'returned a camera with no cameraId string';
    if (camera.role !== 'owner' && camera.role !== 'shared') return `returned camera ${camera.cameraId} with role ${String(camera.role)}, not owner or shared`;
  }
  return undefined;
}

export function thumbnailProblem(answer: unknown): string | undefined {
  if (!isObject(answer) || !Number.isInteger(answer.status) || (answer.status as number) < 100 || (answer.status as number) > 599) {
    return 'returned no { status } with an HTTP-like status';
  }
  if (answer.bytes !== undefined && !(answer.bytes instanceof Uint8Array)) return 'returned bytes that are not a Uint8Array';
  if (answer.status === 200 && answer.bytes === undefined) return 'returned status 200 without the bytes';
  return undefined;
}

export function connectionProblem(connection: unknown): string | undefined {
  if (!isObject(connection) || typeof connection.send !== 'function' || typeof connection.close !== 'function') {
    return 'returned no { send, close } connection';
  }
  return undefined;
}

export function channelProblem(channel: unknown): string | undefined {
  if (!isObject(channel) || typeof channel.close !== 'function') return 'returned no { close } channel';
  return undefined;
}

/** The one line a run gets when its scenario drives users with autocannon and the adapter has no `users.http`. */
export function needsPlainHttp(adapter: string, scenario = 'refresh-storm'): UsageError {
  return new UsageError(`${scenario} needs plain-HTTP user calls: adapter ${adapter} has no users.http`,
    'describe its event list, camera list and thumbnail reads in users.http (see HttpUserCalls in src/adapter/types.ts)');
}
