/**
 * The live counts the progress display asks the fleet for, read off the records flowing back from the workers:
 * worker processes keep their sockets to themselves, but every welcome, close and login passes through the
 * collector anyway.
 */
import type { HistoryRecord, Recorder } from '../../world/history.ts';

export class FleetGauge implements Recorder {
  private readonly live = new Set<string>();
  private readonly loggedIn = new Set<string>();

  constructor(private readonly next: Recorder) {}

  record(record: HistoryRecord): void {
    if (record.type === 'camera') {
      if (record.state === 'welcome') this.live.add(record.cameraId);
      else if (record.state === 'closed' || record.state === 'refused') this.live.delete(record.cameraId);
    } else if (record.type === 'user' && record.state === 'login') {
      this.loggedIn.add(record.userId);
    }
    this.next.record(record);
  }

  camerasConnected(): number {
    return this.live.size;
  }

  usersLoggedIn(): number {
    return this.loggedIn.size;
  }
}
