/**
 * The MQTT camera cloud: a second reference target whose devices speak MQTT 5 to a real Mosquitto broker (started
 * here, privately, with one account per camera limited by the ACL to its own topics) and whose app API has its own
 * REST shape (wire.ts) with Server-Sent Events for push (push.ts). It shares the reference cloud's system of
 * record, Redis cache and leak-zoo parts (../cloud/), so a bug modelled there (wyze-2024) runs here unchanged.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { MAX_THUMBNAIL_BYTES } from '../../src/protocol/schema.ts';
import { UsageError } from '../../src/errors.ts';
import { startMosquitto } from '../../src/services/mosquitto.ts';
import { listen } from '../cloud/listen.ts';
import { buildParts } from '../cloud/parts.ts';
import { SystemOfRecord, digest } from '../cloud/store.ts';
import { resolveMqttBug } from './bugs.ts';
import type { MqttCloudContext } from './context.ts';
import { handleRequest } from './http/router.ts';
import { startIngest } from './ingest.ts';
import { Presence } from './presence.ts';
import { PushGateways } from './push.ts';
import { CLOUD_TOPICS } from './topics.ts';

export interface MqttCloudOptions {
  /** The app API's port; 0 or absent: any free port. */
  apiPort?: number;
  /** The broker's port; 0 or absent: any free port. */
  brokerPort?: number;
  /** Guards the admin calls (`X-Admin-Key`). Never printed or logged. */
  adminToken: string;
  /** `none`, `wyze-2024` or `mqtt-acl-wildcard`. */
  bug?: string;
  /** Redis for the cache (or a proxy in front of it); absent: no cache. */
  redisUrl?: string;
  log?: (line: string) => void;
  cacheTimeoutMs?: number;
}

export interface RunningMqttCloud {
  /** The endpoints by name, as an adapter declares them: `api` (http://) and `broker` (mqtt://). */
  endpoints: { api: string; broker: string };
  apiPort: number;
  brokerPort: number;
  /** Settles if the broker exits on its own: the cloud is then broken and should be stopped. */
  brokerExited: Promise<unknown>;
  stop(): Promise<void>;
}

/** An MQTT packet holds the thumbnail plus a few hundred bytes of topic and properties. */
const MAX_PACKET_BYTES = MAX_THUMBNAIL_BYTES + 4_096;

export async function startMqttCloud(options: MqttCloudOptions): Promise<RunningMqttCloud> {
  if (options.adminToken.length === 0) throw new UsageError('the admin token is empty', 'pass a non-empty admin token');
  const bug = resolveMqttBug(options.bug ?? 'none');
  const log = options.log ?? (() => undefined);
  const store = new SystemOfRecord();
  const keyPrefix = `stampede:mqtt-cloud:${randomBytes(6).toString('hex')}:`;
  const { parts, views } = buildParts({ store, redisUrl: options.redisUrl, keyPrefix, log }, bug.parts, options.cacheTimeoutMs ?? 250);
  const broker = await startMosquitto({ acl: bug.acl, privilegedTopics: CLOUD_TOPICS, maxPacketBytes: MAX_PACKET_BYTES, port: options.brokerPort });
  const gatewayPasswords = new Map<string, string>();
  const ctx: MqttCloudContext = {
    store,
    views,
    parts,
    broker,
    push: new PushGateways(broker.url, (userId) => gatewayPasswords.get(userId)),
    presence: new Presence(),
    adminKeyDigest: digest(options.adminToken),
    gatewayPasswords,
    log,
  };
  const server = createServer((req, res) => handleRequest(ctx, req, res));
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  let ingest: Awaited<ReturnType<typeof startIngest>> | undefined;
  try {
    await parts.cache.start();
    ingest = await startIngest(ctx, broker.url, broker.privileged);
    await listen(server, options.apiPort ?? 0);
  } catch (error) {
    await ingest?.stop();
    await parts.cache.close();
    await broker.stop();
    throw error;
  }
  const apiPort = (server.address() as AddressInfo).port;
  log(`MQTT cloud: api on 127.0.0.1:${apiPort}, broker on 127.0.0.1:${broker.port}${bug.name === 'none' ? '' : ` with bug ${bug.name}`}`);
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    ctx.push.closeAll();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    await ingest?.stop();
    await parts.cache.close();
    await broker.stop();
  };
  return {
    endpoints: { api: `http://127.0.0.1:${apiPort}`, broker: broker.url },
    apiPort,
    brokerPort: broker.port,
    brokerExited: broker.exited,
    stop: () => (stopping ??= stop()),
  };
}
