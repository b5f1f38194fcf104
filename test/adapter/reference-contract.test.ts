/** The adapter contract suite against the reference cloud, through the built-in reference adapter. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { referenceAdapter } from '../../src/adapter/reference/index.ts';
import { type RunningCloud, startCloud } from '../../simulators/cloud/index.ts';
import { adapterContract } from './contract.ts';

const adminToken = randomBytes(16).toString('hex');
let cloud: RunningCloud;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, adminToken, redisUrl: 'redis://127.0.0.1:6379' });
});
afterAll(async () => {
  await cloud?.stop();
});

adapterContract(referenceAdapter, () => ({
  endpoints: { target: cloud.url },
  options: { adminToken },
  seed: (world) =>
    referenceAdapter.world!.seed!({ endpoints: { target: cloud.url }, signal: new AbortController().signal, timeoutMs: 10_000, options: { adminToken } }, world),
}));
