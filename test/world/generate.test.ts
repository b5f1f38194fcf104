import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../../src/protocol/schema.ts';
import { generateWorld } from '../../src/world/generate.ts';
import { minuteRun } from './fixtures.ts';

describe('generateWorld', () => {
  it('gives the same world byte for byte for the same seed and spec', () => {
    expect(JSON.stringify(generateWorld(minuteRun()))).toBe(JSON.stringify(generateWorld(minuteRun())));
  });

  it('gives a different world, run id and schedule for another seed', () => {
    const a = generateWorld(minuteRun({ seed: 1 }));
    const b = generateWorld(minuteRun({ seed: 2 }));
    expect(a.runId).not.toBe(b.runId);
    expect(a.users.map((u) => u.password)).not.toEqual(b.users.map((u) => u.password));
    expect(a.cameras.map((c) => c.secret)).not.toEqual(b.cameras.map((c) => c.secret));
    expect(a.changes).not.toEqual(b.changes);
  });

  it('tells apart seeds that differ only above 32 bits', () => {
    const low = generateWorld(minuteRun({ seed: 5 }));
    const high = generateWorld(minuteRun({ seed: 5 + 2 ** 32 }));
    expect(high.runId).not.toBe(low.runId);
    expect(high.cameras[0]!.secret).not.toBe(low.cameras[0]!.secret);
  });

  it('keeps names and passwords when only the sharing changes', () => {
    const a = generateWorld(minuteRun({ shareFraction: 0.1 }));
    const b = generateWorld(minuteRun({ shareFraction: 0.3 }));
    expect(b.users).toEqual(a.users);
    expect(b.shares.length).toBeGreaterThan(a.shares.length);
  });

  it('gives every user and camera a unique, valid, recognisable id', () => {
    const world = generateWorld(minuteRun());
    const ids = [...world.users.map((u) => u.userId), ...world.cameras.map((c) => c.cameraId), world.runId];
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
    expect(world.users.every((u) => /^u-\d{6}$/.test(u.userId))).toBe(true);
    expect(world.cameras.every((c) => /^cam-\d{6}$/.test(c.cameraId))).toBe(true);
  });

  it('gives users unique lower-case e-mails under a run-specific test domain', () => {
    const world = generateWorld(minuteRun());
    const emails = world.users.map((u) => u.email);
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of emails) {
      expect(email).toBe(email.toLowerCase());
      expect(email).toMatch(/^[a-z0-9.-]+@[a-z0-9.-]+\.test$/);
      expect(email.endsWith(`@${world.runId}.stampede.test`)).toBe(true);
    }
  });

  it('gives users strong-looking passwords with every character class', () => {
    const world = generateWorld(minuteRun());
    for (const { password } of world.users) {
      expect(password).toHaveLength(20);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[^A-Za-z0-9]/);
    }
    expect(new Set(world.users.map((u) => u.password)).size).toBe(world.users.length);
  });

  it('gives cameras unique secrets and unique locally administered unicast MACs', () => {
    const world = generateWorld(minuteRun({ users: 5_000, cameras: 20_000 }));
    expect(new Set(world.cameras.map((c) => c.secret)).size).toBe(world.cameras.length);
    const macs = world.cameras.map((c) => c.mac);
    expect(new Set(macs).size).toBe(macs.length);
    for (const mac of macs) {
      expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      const first = parseInt(mac.slice(0, 2), 16);
      expect(first & 0b10).toBe(0b10);
      expect(first & 0b01).toBe(0);
    }
  });

  it('names cameras after a spot and the owner, distinct within a home, with a real-sounding model', () => {
    const world = generateWorld(minuteRun());
    const owners = new Map(world.users.map((u) => [u.userId, u]));
    const namesPerOwner = new Map<string, Set<string>>();
    for (const camera of world.cameras) {
      const firstName = owners.get(camera.ownerId)!.name.split(' ')[0]!;
      expect(camera.name.endsWith(`(${firstName})`)).toBe(true);
      expect(camera.model).toMatch(/^Wyze /);
      const names = namesPerOwner.get(camera.ownerId) ?? new Set<string>();
      expect(names.has(camera.name)).toBe(false);
      names.add(camera.name);
      namesPerOwner.set(camera.ownerId, names);
    }
  });

  it('gives the same world in another process, time zone and locale', () => {
    const spec = minuteRun({ users: 200, cameras: 400 });
    const here = createHash('sha256').update(JSON.stringify(generateWorld(spec))).digest('hex');
    const script =
      `import { createHash } from 'node:crypto'; import { generateWorld } from './src/world/generate.ts';` +
      `process.stdout.write(createHash('sha256').update(JSON.stringify(generateWorld(${JSON.stringify(spec)}))).digest('hex'));`;
    // Turkish lower-cases "I" differently, the classic locale trap for e-mail addresses.
    const there = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, TZ: 'Asia/Kolkata', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(there).toBe(here);
  });

  it('does not touch Math.random', () => {
    const original = Math.random;
    Math.random = () => {
      throw new Error('Math.random used');
    };
    try {
      expect(() => generateWorld(minuteRun({ users: 50, cameras: 100 }))).not.toThrow();
    } finally {
      Math.random = original;
    }
  });
});
