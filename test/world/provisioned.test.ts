/**
 * The world of a world file: its accounts as they are, with the run's id and access changes planned from the seed;
 * the same file in YAML or JSON is the same world; a run's config takes its fleet size from the file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarios } from '../../scenarios/index.ts';
import { resolveRunConfig } from '../../src/run/config.ts';
import { planWorld } from '../../src/run/plan.ts';
import { readWorldFile } from '../../src/world/file.ts';
import { runIdOf } from '../../src/world/ids.ts';
import { provisionedWorld } from '../../src/world/provisioned.ts';
import { resolveWorldSpec } from '../../src/world/spec.ts';
import { worldTemplate } from '../../src/world/template.ts';
import { minuteRun } from './fixtures.ts';
import { scheduleProblems } from './replay.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-provisioned-'));
let made = 0;
const counter = () => `secret-${String(made++).padStart(6, '0')}`;

function templateFiles(cameras: number, users: number): { yaml: string; json: string } {
  const text = worldTemplate({ cameras, users }, counter);
  const yaml = join(dir, `w-${made}.yaml`);
  const json = join(dir, `w-${made}.json`);
  writeFileSync(yaml, text);
  writeFileSync(json, JSON.stringify(parse(text), null, 2));
  return { yaml, json };
}

describe('a world from a file', () => {
  it('reads the same accounts from YAML and from JSON', () => {
    const { yaml, json } = templateFiles(7, 3);
    const accounts = readWorldFile(yaml);
    expect(readWorldFile(json)).toEqual(accounts);
    expect(accounts.users.map((user) => user.id)).toEqual(['user-1', 'user-2', 'user-3']);
    expect(accounts.cameras).toHaveLength(7);
    expect(accounts.cameras[0]).toMatchObject({ id: 'cam-1', owner: 'user-1', shares: ['user-2'] });
  });

  it('keeps the file\'s accounts and plans consistent changes from the seed, the same for the same seed', () => {
    const accounts = readWorldFile(templateFiles(40, 12).yaml);
    const spec = { ...resolveWorldSpec(minuteRun({ seed: 5, users: 1, cameras: 1 })), users: 12, cameras: 40 };
    const world = provisionedWorld(accounts, spec);
    expect(world.runId).toBe(runIdOf(5));
    expect(world.users[2]).toEqual({ userId: 'user-3', email: 'user-3@example.test', password: accounts.users[2]!.secret, name: 'user-3' });
    expect(world.cameras.map((camera) => [camera.cameraId, camera.ownerId, camera.secret])).toEqual(accounts.cameras.map((camera) => [camera.id, camera.owner, camera.secret]));
    expect(world.shares).toEqual(accounts.cameras.flatMap((camera) => camera.shares.map((userId) => ({ cameraId: camera.id, userId }))));
    expect(new Set(world.cameras.map((camera) => camera.mac)).size).toBe(40);
    expect(world.changes.some((change) => change.kind === 'transfer')).toBe(true);
    expect(world.changes.some((change) => change.kind === 'revoke')).toBe(true);
    expect(scheduleProblems(world)).toEqual([]);
    expect(provisionedWorld(accounts, spec)).toEqual(world);
    expect(provisionedWorld(accounts, { ...spec, seed: 6 }).changes).not.toEqual(world.changes);
  });

  it('gives a run the file\'s fleet size, and its world, with more cameras per user than a generated one has', () => {
    const { json } = templateFiles(9, 1);
    const config = resolveRunConfig({ world: json, seed: '3', duration: '20', workers: '1' }, scenarios, new Date());
    expect([config.cameras, config.users, config.world?.path]).toEqual([9, 1, json]);
    const world = planWorld(config);
    expect(world.cameras.every((camera) => camera.ownerId === 'user-1')).toBe(true);
    // One user: nobody to transfer to or share with.
    expect(world.changes).toEqual([]);
  });
});
