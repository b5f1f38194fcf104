/**
 * The built-in `reference` adapter: the protocol in docs/protocol.md (login, /v1/events, /v1/cameras,
 * thumbnails, the /v1/stream push WebSocket, the /v1/device WebSocket, and the admin endpoints for world control,
 * with the admin token from `--adapter-option adminToken=...`). It is the default, and the pattern for others.
 */
import { defineAdapter } from '../define.ts';
import { deviceHooks } from './devices.ts';
import { users } from './users.ts';
import { referenceWorld } from './world.ts';

export const referenceAdapter = defineAdapter({
  name: 'reference',
  endpoints: ['target'],
  users,
  devices: deviceHooks,
  world: referenceWorld,
});

export default referenceAdapter;
