/**
 * The MQTT cloud's worked-example adapter with two broken hooks, for conform's adapter errors: `users.events` throws
 * an error of its own, and `users.cameras` answers a role that is not one. Push and world control are left out, so
 * the world comes from `--world`, those areas are skipped, and the run stays short.
 */
import { defineAdapter } from 'stampede/adapter';
import mqtt from '../../../examples/adapters/mqtt.adapter.ts';

export default defineAdapter<unknown>({
  name: 'faulty-hooks',
  endpoints: mqtt.endpoints,
  users: {
    login: mqtt.users.login,
    thumbnail: mqtt.users.thumbnail,
    events() {
      throw new Error('feed parser exploded');
    },
    async cameras(ctx, session) {
      const cameras = await mqtt.users.cameras(ctx, session as never);
      return cameras.map((camera) => ({ ...camera, role: 'admin' as 'owner' }));
    },
  },
  devices: mqtt.devices,
  world: { health: mqtt.world!.health },
});
