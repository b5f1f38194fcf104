/** The adapter contract suite against the MQTT camera cloud, through the worked-example MQTT adapter. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import adapter from '../../examples/adapters/mqtt.adapter.ts';
import { type RunningMqttCloud, startMqttCloud } from '../../simulators/mqtt-cloud/index.ts';
import { REDIS_URL } from '../helpers/cloud.ts';
import { adapterContract } from './contract.ts';

const adminToken = randomBytes(16).toString('hex');
let cloud: RunningMqttCloud;

beforeAll(async () => {
  cloud = await startMqttCloud({ adminToken, bug: 'none', redisUrl: REDIS_URL });
});
afterAll(async () => {
  await cloud?.stop();
});

adapterContract(adapter, () => ({
  endpoints: cloud.endpoints,
  options: { adminToken },
  seed: (world) => adapter.world!.seed!({ endpoints: cloud.endpoints, signal: new AbortController().signal, timeoutMs: 10_000, options: { adminToken } }, world),
}));
