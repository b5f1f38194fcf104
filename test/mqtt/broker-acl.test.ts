/**
 * The private broker's ACL, against the real Mosquitto: a camera may read only its own topics, and with the
 * mqtt-acl-wildcard rules it reads another camera's. Also: secrets stay off argv and out of sight on disk.
 */
import { readFileSync, statSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { connect, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { logsIn, startMosquitto, type BrokerAccount, type MosquittoBroker } from '../../src/services/mosquitto.ts';
import { CLOUD_TOPICS, EXACT_ACL, WILDCARD_ACL, acksTopic } from '../../simulators/mqtt-cloud/topics.ts';

const cameras: BrokerAccount[] = [
  { username: 'cam-1', password: 'secret-of-camera-one' },
  { username: 'cam-2', password: 'secret-of-camera-two' },
];
const started: MosquittoBroker[] = [];
const clients: MqttClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.end(true);
  for (const broker of started.splice(0)) await broker.stop();
});

async function broker(acl: string): Promise<MosquittoBroker> {
  const running = await startMosquitto({ acl, privilegedTopics: CLOUD_TOPICS, maxPacketBytes: 70_000 });
  started.push(running);
  await running.setAccounts(cameras);
  return running;
}

function client(url: string, account: BrokerAccount): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const mqtt = connect(url, { username: account.username, password: account.password, protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 20_000 });
    clients.push(mqtt);
    mqtt.once('connect', () => resolve(mqtt));
    mqtt.once('error', reject);
  });
}

/**
 * Camera 1 subscribes to camera 2's acks and its own; the cloud publishes to camera 2's, then camera 1's. Returns
 * every topic camera 1 was delivered, in order, up to its own ack (the broker keeps one publisher's order).
 */
async function whatCameraOneReads(running: MosquittoBroker): Promise<string[]> {
  const camera = await client(running.url, cameras[0]!);
  const seen: string[] = [];
  const own = new Promise<void>((resolve) =>
    camera.on('message', (topic) => {
      seen.push(topic);
      if (topic === acksTopic('cam-1')) resolve();
    }),
  );
  await camera.subscribeAsync([acksTopic('cam-2'), acksTopic('cam-1')], { qos: 1 });
  const cloud = await client(running.url, running.privileged);
  await cloud.publishAsync(acksTopic('cam-2'), '{"event":"e-2","status":"stored"}', { qos: 1 });
  await cloud.publishAsync(acksTopic('cam-1'), '{"event":"e-1","status":"stored"}', { qos: 1 });
  await own;
  return seen;
}

describe('the private Mosquitto broker', () => {
  it('keeps a camera to its own topics: another camera\'s ack never reaches it', async () => {
    const running = await broker(EXACT_ACL);
    expect(await whatCameraOneReads(running)).toEqual([acksTopic('cam-1')]);
  });

  it('with the mqtt-acl-wildcard rules, a camera reads another camera\'s topic', async () => {
    const running = await broker(WILDCARD_ACL);
    expect(await whatCameraOneReads(running)).toEqual([acksTopic('cam-2'), acksTopic('cam-1')]);
  });

  it('logs in only the accounts it was given, with their own passwords, and keeps every secret off argv and private', async () => {
    const running = await broker(EXACT_ACL);
    expect(await logsIn(running.url, cameras[0]!, 20_000)).toBe(true);
    expect(await logsIn(running.url, { username: 'cam-1', password: cameras[1]!.password }, 20_000)).toBe(false);
    expect(await logsIn(running.url, { username: 'cam-3', password: 'anything-at-all' }, 20_000)).toBe(false);
    const argv = readFileSync(`/proc/${running.pid}/cmdline`, 'utf8').split('\0');
    expect(argv).toHaveLength(4); // mosquitto -c <config> and the trailing NUL
    const config = argv[2]!;
    const folder = dirname(config);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    for (const file of ['mosquitto.conf', 'passwords', 'acl']) expect(statSync(`${folder}/${file}`).mode & 0o777).toBe(0o600);
    const onDisk = readFileSync(`${folder}/passwords`, 'utf8') + readFileSync(config, 'utf8');
    for (const secret of [...cameras.map((camera) => camera.password), running.privileged.password]) expect(onDisk).not.toContain(secret);
    await running.stop();
    expect(existsSync(folder)).toBe(false);
  });
});
