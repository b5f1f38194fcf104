/**
 * Device presence, the MQTT way: a camera publishes `online` to its status topic as it connects (its birth
 * message) and leaves `offline` as its will, which the broker publishes for it when the connection dies without
 * a goodbye. The devices list shows it. As a camera comes online the cloud also looks its mapping up, so the
 * backlog the camera is about to send finds it warm in the cache; after an outage every camera does this at the
 * same moment, which is the surge of device-to-owner lookups that set off wyze-2024 (the reference cloud's every
 * device hello makes the same lookup).
 */
import type { MqttCloudContext } from './context.ts';

export class Presence {
  private readonly online = new Set<string>();

  /** What camera `cameraId` last said of itself (or its will said for it). */
  said(cameraId: string, status: string): void {
    if (status === 'online') this.online.add(cameraId);
    else this.online.delete(cameraId);
  }

  isOnline(cameraId: string): boolean {
    return this.online.has(cameraId);
  }
}

/** A message on camera `cameraId`'s status topic; the broker's ACL has made sure it is that camera's own. */
export async function statusChanged(ctx: MqttCloudContext, cameraId: string, payload: Buffer): Promise<void> {
  const status = payload.toString('utf8');
  ctx.presence.said(cameraId, status);
  // Only the cache is warmed: presence is the camera's own word, whatever the lookup answers.
  if (status === 'online') await ctx.parts.cameraLookup(cameraId);
}
