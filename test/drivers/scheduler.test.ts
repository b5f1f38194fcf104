import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../simulators/protocol/random.ts';
import { RecentEvents } from '../../simulators/protocol/recent-events.ts';
import { FleetScheduler } from '../../simulators/protocol/scheduler.ts';

interface Client {
  name: number;
  dueAt: number;
  heapIndex: number;
}

describe('fleet scheduler', () => {
  it('runs due clients earliest first, honours moves and cancels, and leaves the rest', () => {
    const ran: number[] = [];
    const scheduler = new FleetScheduler<Client>((client) => ran.push(client.name));
    const clients = Array.from({ length: 6 }, (_, name) => ({ name, dueAt: 0, heapIndex: -1 }));
    [50, 10, 40, 30, 20, 60].forEach((at, i) => scheduler.schedule(clients[i]!, at));
    scheduler.schedule(clients[5]!, 5); // moved earlier
    scheduler.schedule(clients[1]!, 100); // moved later
    scheduler.cancel(clients[3]!);
    expect(scheduler.runDue(45)).toBe(3);
    expect(ran).toEqual([5, 4, 2]);
    expect(scheduler.size).toBe(2);
    expect(clients[3]!.heapIndex).toBe(-1);
  });

  it('keeps heap order through thousands of random schedules and cancels', () => {
    const random = seededRandom(3);
    const ran: Client[] = [];
    const scheduler = new FleetScheduler<Client>((client) => ran.push(client));
    const clients = Array.from({ length: 500 }, (_, name) => ({ name, dueAt: 0, heapIndex: -1 }));
    const expected = new Map<number, number>();
    for (let i = 0; i < 5000; i++) {
      const client = clients[Math.floor(random() * clients.length)]!;
      if (random() < 0.2) {
        scheduler.cancel(client);
        expected.delete(client.name);
      } else {
        const at = Math.floor(random() * 10_000);
        scheduler.schedule(client, at);
        expected.set(client.name, at);
      }
    }
    while (scheduler.runDue(Infinity) > 0); // a slow machine may need more than one time slice
    expect(ran.map((client) => client.name).sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b));
    for (let i = 1; i < ran.length; i++) expect(ran[i]!.dueAt).toBeGreaterThanOrEqual(ran[i - 1]!.dueAt);
  });
});

describe('recent events', () => {
  it('keeps the newest events and picks only from cameras it is allowed to', () => {
    const recent = new RecentEvents(4);
    for (let i = 0; i < 10; i++) recent.add(i % 2 === 0 ? 'mine' : 'theirs', `e${i}`);
    expect(recent.size).toBe(4);
    const random = seededRandom(1);
    for (let i = 0; i < 20; i++) {
      const picked = recent.pick(random, (cameraId) => cameraId === 'theirs');
      expect(picked?.cameraId).toBe('theirs');
      expect(['e7', 'e9']).toContain(picked?.eventId);
    }
    expect(recent.pick(random, () => false)).toBeUndefined();
    expect(new RecentEvents().pick(random, () => true)).toBeUndefined();
  });
});
