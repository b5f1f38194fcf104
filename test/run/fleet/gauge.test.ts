/** The live counts read off records flowing back from workers, passed on unchanged. */
import { describe, expect, it } from 'vitest';
import { FleetGauge } from '../../../src/run/fleet/gauge.ts';
import type { HistoryRecord } from '../../../src/world/history.ts';

describe('FleetGauge', () => {
  it('counts cameras welcomed and not since closed, and users logged in, and hands every record on', () => {
    const out: HistoryRecord[] = [];
    const gauge = new FleetGauge({ record: (record) => out.push(record) });
    const records: HistoryRecord[] = [
      { type: 'camera', t: 1, cameraId: 'c1', state: 'connecting' }, // only in older journals
      { type: 'camera', t: 1, cameraId: 'c3', state: 'refused', code: 4401 },
      { type: 'camera', t: 2, cameraId: 'c1', state: 'welcome' },
      { type: 'camera', t: 2, cameraId: 'c2', state: 'welcome' },
      { type: 'camera', t: 3, cameraId: 'c2', state: 'closed', code: 1006 },
      { type: 'user', t: 3, userId: 'u1', state: 'login' },
      { type: 'user', t: 4, userId: 'u2', state: 'login-failed' },
    ];
    for (const record of records) gauge.record(record);
    expect(gauge.camerasConnected()).toBe(1);
    expect(gauge.usersLoggedIn()).toBe(1);
    expect(out).toEqual(records);
  });
});
