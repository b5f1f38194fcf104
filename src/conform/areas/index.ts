/** Every area, in the order conform runs them: health first, since its capabilities decide what is skipped. */
import type { Area } from '../expectation.ts';
import { adminAuth } from './admin-auth.ts';
import { camerasArea } from './cameras.ts';
import { device } from './device.ts';
import { events } from './events.ts';
import { health } from './health.ts';
import { loginArea } from './login.ts';
import { seeding } from './seeding.ts';
import { stream } from './stream.ts';
import { sharing } from './sharing.ts';
import { thumbnails } from './thumbnails.ts';
import { transferArea } from './transfer.ts';
import { userAuth } from './user-auth.ts';

export const AREAS: Area<unknown>[] = [
  health,
  adminAuth,
  seeding,
  loginArea,
  userAuth,
  camerasArea,
  device,
  events,
  thumbnails,
  stream,
  sharing,
  transferArea,
];
