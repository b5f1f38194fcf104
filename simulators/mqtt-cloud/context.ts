/** What every handler of the MQTT cloud shares: the truth, the cached views of it, the parts, the broker. */
import type { CachedViews } from '../cloud/cache/views.ts';
import type { CloudParts } from '../cloud/seams.ts';
import type { SystemOfRecord } from '../cloud/store.ts';
import type { MosquittoBroker } from '../../src/services/mosquitto.ts';
import type { Presence } from './presence.ts';
import type { PushGateways } from './push.ts';

export interface MqttCloudContext {
  store: SystemOfRecord;
  views: CachedViews;
  parts: CloudParts;
  broker: MosquittoBroker;
  push: PushGateways;
  /** Which cameras are connected, by their own birth and will messages. */
  presence: Presence;
  /** sha256 of the admin key; the key itself is kept nowhere. */
  adminKeyDigest: Buffer;
  /** Each user's broker password for their push gateway, minted at every seed and known only to this process. */
  gatewayPasswords: Map<string, string>;
  log: (line: string) => void;
}

/** The session token of a request's `camsid` cookie, or undefined. */
export function sessionToken(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      const value = rest.join('=');
      return value.length > 0 && value.length <= 512 ? value : undefined;
    }
  }
  return undefined;
}
