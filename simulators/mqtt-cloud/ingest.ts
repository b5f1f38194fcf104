/**
 * The cloud's ingest: one MQTT client on the privileged account, subscribed to every camera's events and status
 * topics (status: presence.ts). The broker has already authenticated the camera and, through the ACL, made sure
 * it can publish only to its own topics, so the camera id in the topic is the camera that sent it. Each event is stored for the camera's
 * audience, published to each audience user's feed (the push path), and acknowledged on the camera's own acks
 * topic. The device-to-owner lookup goes through the shared cloud's `cameraLookup` part, which wyze-2024 replaces.
 */
import { randomBytes } from 'node:crypto';
import { connect, type IPublishPacket, type MqttClient } from 'mqtt';
import { EVENT_KINDS, ID_PATTERN, MAX_THUMBNAIL_BYTES } from '../../src/protocol/schema.ts';
import type { BrokerAccount } from '../../src/services/mosquitto.ts';
import { UnavailableError } from '../../src/errors.ts';
import type { MqttCloudContext } from './context.ts';
import { statusChanged } from './presence.ts';
import { ALL_EVENTS, ALL_STATUS, acksTopic, cameraTopic, feedTopic } from './topics.ts';
import { feedItem } from './wire.ts';

type Kind = (typeof EVENT_KINDS)[number];

export interface Ingest {
  stop(): Promise<void>;
}

export async function startIngest(ctx: MqttCloudContext, brokerUrl: string, account: BrokerAccount): Promise<Ingest> {
  const client = connect(brokerUrl, {
    username: account.username,
    password: account.password,
    clientId: `cloud-ingest-${randomBytes(4).toString('hex')}`,
    protocolVersion: 5,
    clean: true,
    // The broker is the cloud's own: if it blips, come back and resubscribe by ourselves.
    reconnectPeriod: 500,
    connectTimeout: 5_000,
  });
  client.on('error', (error) => ctx.log(`ingest: ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', (error) => reject(new UnavailableError(`the cloud could not log in to its broker: ${error.message}`)));
  });
  const granted = await client.subscribeAsync([ALL_EVENTS, ALL_STATUS], { qos: 1 });
  if (granted.some((grant) => grant.qos > 2)) throw new UnavailableError(`the broker refused the cloud's subscription to ${ALL_EVENTS} or ${ALL_STATUS}`);
  client.on('message', (topic, payload, packet) => {
    const camera = cameraTopic(topic);
    if (camera === undefined) return;
    const handled = camera.leaf === 'status' ? statusChanged(ctx, camera.cameraId, payload) : handle(ctx, client, camera.cameraId, payload, packet);
    handled.catch((error: unknown) => {
      ctx.log(`ingest failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  return { stop: () => client.endAsync(true).catch(() => undefined) };
}

/** The event a camera published, or why it is not one. */
function parseEvent(payload: Buffer, packet: IPublishPacket): { eventId: string; kind: Kind; ts: number } | { reason: string; eventId?: string } {
  const props = packet.properties?.userProperties ?? {};
  const one = (key: string): string | undefined => {
    const value = props[key];
    return Array.isArray(value) ? undefined : value;
  };
  const eventId = one('id');
  if (eventId === undefined || !ID_PATTERN.test(eventId)) return { reason: 'user property id must be an id' };
  const kind = one('kind');
  if (!(EVENT_KINDS as readonly string[]).includes(kind ?? '')) return { reason: `user property kind must be one of ${EVENT_KINDS.join(', ')}`, eventId };
  const ts = Number(one('ts'));
  if (!Number.isSafeInteger(ts) || ts < 0) return { reason: 'user property ts must be ms since the epoch', eventId };
  if (payload.length === 0 || payload.length > MAX_THUMBNAIL_BYTES) return { reason: `the thumbnail must be 1 to ${MAX_THUMBNAIL_BYTES} bytes`, eventId };
  return { eventId, kind: kind as Kind, ts };
}

async function handle(ctx: MqttCloudContext, client: MqttClient, camera: string, payload: Buffer, packet: IPublishPacket): Promise<void> {
  const answer = (body: object) => void client.publishAsync(acksTopic(camera), JSON.stringify(body), { qos: 1 }).catch(() => undefined);
  const event = parseEvent(payload, packet);
  if ('reason' in event) return answer({ event: event.eventId ?? null, status: 'rejected', reason: event.reason });
  const { store, parts } = ctx;
  if (answeredAlready(event.eventId)) return;
  const generation = store.generation;
  const versionBefore = store.cameraVersion(camera);
  let record = await parts.cameraLookup(camera);
  if (generation !== store.generation) return; // the world was replaced meanwhile
  // Access changed while the lookup was out: the audience must be the one in force when we ack.
  if (store.cameraVersion(camera) !== versionBefore) record = store.camera(camera);
  if (!record) return answer({ event: event.eventId, status: 'rejected', reason: 'this camera is not registered' });
  if (answeredAlready(event.eventId)) return;
  const audience = [record.ownerId, ...record.sharees.filter((userId) => userId !== record.ownerId)];
  // As in the reference cloud, the event is filed under the camera the looked-up record describes: the correct
  // lookup always describes `camera`; wyze-2024's batching client can hand back another camera's record.
  const stored = store.acceptEvent({ eventId: event.eventId, cameraId: record.cameraId, kind: event.kind, ts: event.ts, thumbnail: payload, audience });
  const item = JSON.stringify(feedItem(stored));
  for (const userId of stored.audience) {
    if (store.hasAccess(userId, stored.cameraId)) void client.publishAsync(feedTopic(userId), item, { qos: 0 }).catch(() => undefined);
  }
  answer({ event: stored.eventId, status: 'stored' });

  /** True when the event id is known: acked again if it is this camera's, refused if another camera's. */
  function answeredAlready(eventId: string): boolean {
    const known = store.events.get(eventId);
    if (!known) return false;
    answer(known.cameraId === camera ? { event: eventId, status: 'stored' } : { event: eventId, status: 'rejected', reason: 'the id belongs to another camera' });
    return true;
  }
}
