/** Small literal worlds for driver tests: `users` users owning `camerasPerUser` cameras each. */
import type { World } from '../../../src/world/types.ts';
import type { HistoryRecord, Recorder } from '../../../src/world/history.ts';

export function smallWorld(users: number, camerasPerUser: number, runId = `run-${process.pid}-${Date.now()}`): World {
  const world: World = { seed: 42, runId, users: [], cameras: [], shares: [], changes: [], graceMs: 2000 };
  for (let u = 0; u < users; u++) {
    const userId = `u${u}`;
    world.users.push({ userId, email: `${userId}@example.test`, password: `pw-${u}`, name: `User ${u}` });
    for (let c = 0; c < camerasPerUser; c++) {
      const cameraId = `c${u}-${c}`;
      world.cameras.push({ cameraId, secret: `s-${cameraId}`, name: cameraId, model: 'test', mac: '00:00:00:00:00:00', ownerId: userId });
    }
  }
  return world;
}

/** A recorder that keeps everything, for assertions. */
export class MemoryRecorder implements Recorder {
  readonly records: HistoryRecord[] = [];
  record(record: HistoryRecord): void {
    this.records.push(record);
  }
  of<T extends HistoryRecord['type']>(type: T): Extract<HistoryRecord, { type: T }>[] {
    return this.records.filter((record): record is Extract<HistoryRecord, { type: T }> => record.type === type);
  }
}

/** Polls `condition` until it holds or `timeoutMs` passes; bounded, for waiting on real sockets. */
export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}
