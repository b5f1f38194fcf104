/**
 * Where the drivers send load. Load only ever goes to loopback unless the caller explicitly allows otherwise, so
 * a typo in a URL can never storm someone else's backend.
 */
import { UsageError } from '../../src/cli/exit.ts';
import { isLoopbackHost } from '../../src/protocol/loopback.ts';

/** A validated target: the HTTP base for user calls and the WebSocket base for devices and streams. */
export interface Target {
  httpBase: string;
  wsBase: string;
}

export function resolveTarget(target: string, allowRemote = false): Target {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`target "${target}" is not a URL`, 'give one like http://127.0.0.1:8080');
  }
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new UsageError(`target "${target}" must be http(s):// or ws(s)://`);
  }
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw new UsageError(
      `target host ${url.hostname} is not loopback`,
      'load only goes to 127.0.0.1, ::1 or localhost unless remote targets are explicitly allowed',
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  return {
    httpBase: `${secure ? 'https' : 'http'}://${url.host}${path}`,
    wsBase: `${secure ? 'wss' : 'ws'}://${url.host}${path}`,
  };
}
