import { describe, expect, it } from 'vitest';
import { eventIdOf, makerOf } from '../../src/world/event-id.ts';

describe('event ids', () => {
  it('name the camera that made the event, even when the camera id itself looks like an event id', () => {
    for (const cameraId of ['cam-1', 'a.e1', 'x.e', 'e', 'cam.e1.e2']) {
      for (const n of [1, 9, 10, 12345]) expect(makerOf(eventIdOf(cameraId, n))).toBe(cameraId);
    }
  });

  it('name no maker for an id none of our cameras would make', () => {
    for (const eventId of ['cam-1', 'cam-1.e', 'cam-1.e0', 'cam-1.e01', '.e1', 'cam-1.e1x', 'cam-1.E1']) expect(makerOf(eventId)).toBeUndefined();
  });
});
