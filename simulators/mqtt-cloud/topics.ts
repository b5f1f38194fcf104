/**
 * The MQTT side of the cloud: topic names and the broker's ACL. Every account but the cloud's is named after what
 * it is (a camera's id, a user's id), and the ACL limits it with `%u`, Mosquitto's placeholder for the account's
 * user name: a camera publishes only to its own events and status topics and reads only its own acks; a user's
 * push gateway reads only that user's feed.
 */

/** Where camera `cameraId` publishes its events (MQTT 5; thumbnail bytes as payload, metadata as user properties). */
export const eventsTopic = (cameraId: string): string => `cameras/${cameraId}/events`;
/** Where camera `cameraId` says `online` as it connects and leaves `offline` as its will (see presence.ts). */
export const statusTopic = (cameraId: string): string => `cameras/${cameraId}/status`;
/** Where the cloud acknowledges camera `cameraId`'s stored events. */
export const acksTopic = (cameraId: string): string => `cameras/${cameraId}/acks`;
/** Where the cloud publishes each stored event for one user's push channel. */
export const feedTopic = (userId: string): string => `feeds/${userId}`;

/** What the cloud's ingest subscribes to: every camera's events and presence. */
export const ALL_EVENTS = 'cameras/+/events';
export const ALL_STATUS = 'cameras/+/status';
/** What a user's push gateway subscribes to; the ACL, not the filter, picks the user's own feed (see push.ts). */
export const ANY_FEED = 'feeds/+';
/** The privileged cloud account's topics. */
export const CLOUD_TOPICS = ['cameras/#', 'feeds/#'] as const;

/** The camera and the leaf (`events`, `status`) of a camera's topic, or undefined. */
export function cameraTopic(topic: string): { cameraId: string; leaf: 'events' | 'status' } | undefined {
  const match = /^cameras\/([A-Za-z0-9._-]{1,64})\/(events|status)$/.exec(topic);
  return match ? { cameraId: match[1]!, leaf: match[2] as 'events' | 'status' } : undefined;
}

/** The correct ACL: each account reads and writes only topics named after itself. */
export const EXACT_ACL = `
pattern write cameras/%u/events
pattern write cameras/%u/status
pattern read cameras/%u/acks
pattern read feeds/%u
`;

/**
 * mqtt-acl-wildcard: the same file with `%u` replaced by `+` in the read rules, as happens when someone "fixes"
 * a subscription that the broker seemed to refuse. Every camera may read every camera's acks, and every user's
 * push gateway, which asks for `feeds/+` and trusts the broker to narrow it, gets every user's feed.
 */
export const WILDCARD_ACL = `
pattern write cameras/%u/events
pattern write cameras/%u/status
pattern read cameras/+/acks
pattern read feeds/+
`;
