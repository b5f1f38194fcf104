/** Admin calls of the protocol, each expected to answer 204; anything else is a Mismatch. */
import type { WorldSeed } from '../protocol/schema.ts';
import { expectStatus } from './answers.ts';
import type { Target } from './target.ts';

export async function seedWorld(target: Target, seed: WorldSeed): Promise<void> {
  expectStatus(await target.http.call('PUT', '/v1/admin/world', { token: target.adminToken, json: seed }), 204);
}

export async function share(target: Target, cameraId: string, userId: string): Promise<void> {
  const path = `/v1/admin/cameras/${cameraId}/shares/${userId}`;
  expectStatus(await target.http.call('PUT', path, { token: target.adminToken }), 204);
}

export async function revoke(target: Target, cameraId: string, userId: string): Promise<void> {
  const path = `/v1/admin/cameras/${cameraId}/shares/${userId}`;
  expectStatus(await target.http.call('DELETE', path, { token: target.adminToken }), 204);
}

export async function transfer(target: Target, cameraId: string, ownerId: string): Promise<void> {
  const path = `/v1/admin/cameras/${cameraId}/owner`;
  expectStatus(await target.http.call('PUT', path, { token: target.adminToken, json: { ownerId } }), 204);
}
