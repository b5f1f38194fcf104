/** Every area conform checks through an adapter, in order; world changes last, so a lived-in world is left as found. */
import type { Area } from '../../expectation.ts';
import type { AdapterSubject, Hook } from '../subject.ts';
import { camerasArea } from './cameras.ts';
import { deviceArea } from './device.ts';
import { eventsArea } from './events.ts';
import { loginArea } from './login.ts';
import { pushArea } from './push.ts';
import { sharingArea } from './sharing.ts';
import { thumbnailsArea } from './thumbnails.ts';
import { transferArea } from './transfer.ts';

export const ADAPTER_AREAS: Area<unknown, AdapterSubject, Hook>[] = [
  loginArea,
  camerasArea,
  deviceArea,
  eventsArea,
  thumbnailsArea,
  pushArea,
  sharingArea,
  transferArea,
];
