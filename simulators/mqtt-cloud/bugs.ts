/**
 * The MQTT cloud's leak zoo: `wyze-2024` is the reference cloud's bug (its batching cache client in the
 * device-to-owner lookup, ../cloud/bugs/wyze-2024.ts) on this cloud's ingest path; `mqtt-acl-wildcard` is a broker
 * ACL whose read rules lost their `%u` (topics.ts).
 */
import { UsageError } from '../../src/errors.ts';
import type { CloudBug } from '../cloud/seams.ts';
import { wyze2024 } from '../cloud/bugs/wyze-2024.ts';
import { EXACT_ACL, WILDCARD_ACL } from './topics.ts';

export const MQTT_BUG_NAMES = ['none', 'wyze-2024', 'mqtt-acl-wildcard'] as const;
export type MqttBugName = (typeof MQTT_BUG_NAMES)[number];

export interface MqttBug {
  name: MqttBugName;
  /** The parts of the shared cloud it replaces. */
  parts: CloudBug;
  /** The broker's ACL rules for cameras and users. */
  acl: string;
}

const correctParts: CloudBug = { name: 'none', summary: 'the correct cloud: no part replaced' };

const bugs: Record<MqttBugName, MqttBug> = {
  none: { name: 'none', parts: correctParts, acl: EXACT_ACL },
  'wyze-2024': { name: 'wyze-2024', parts: wyze2024, acl: EXACT_ACL },
  'mqtt-acl-wildcard': { name: 'mqtt-acl-wildcard', parts: correctParts, acl: WILDCARD_ACL },
};

export function resolveMqttBug(name: string): MqttBug {
  if (!(MQTT_BUG_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`unknown bug "${name}" for the MQTT cloud`, `choose one of ${MQTT_BUG_NAMES.join(', ')}`);
  }
  return bugs[name as MqttBugName];
}
