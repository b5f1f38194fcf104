/** What every handler of the cloud shares: the truth, the cached views of it, and the chosen parts. */
import type { WebSocket } from 'ws';
import type { CachedViews } from './cache/views.ts';
import type { CloudParts } from './seams.ts';
import type { SystemOfRecord } from './store.ts';

export interface CloudContext {
  store: SystemOfRecord;
  views: CachedViews;
  parts: CloudParts;
  /** The live device socket of each online camera. */
  devices: Map<string, WebSocket>;
  /** sha256 of the admin token: the token itself is kept nowhere, so it cannot leak into a log or a dump. */
  adminTokenDigest: Buffer;
  log: (line: string) => void;
  /** Closes every device and stream socket; called when the world is replaced, since their sessions are gone. */
  dropSessions(): void;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S{1,512})\s*$/i.exec(header ?? '');
  return match?.[1];
}
