/** The `${NAME}` variables a world file's secrets name: what a run elsewhere (an exported Job's pods) must be given. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { worldSecretNames } from '../../src/world/file.ts';

const file = join(mkdtempSync(join(tmpdir(), 'stampede-world-')), 'world.yaml');
writeFileSync(file, [
  'users:',
  '  - { id: alice, login: alice@example.test, secret: "${ALICE_SECRET}" }',
  '  - { id: bob, login: bob@example.test, secret: "bob-literal" } # not "${BOB_SECRET}"',
  'cameras:',
  '  - { id: cam-1, secret: "${CAM_SECRET}", owner: alice }',
  '  - { id: cam-2, secret: "${CAM_SECRET}", owner: bob }',
  '',
].join('\n'));

describe('worldSecretNames', () => {
  it('lists each variable the secrets reference once, not literals or comments', () => {
    expect(worldSecretNames(file, { ALICE_SECRET: 'alice-secret', CAM_SECRET: 'camera-secret' })).toEqual(['ALICE_SECRET', 'CAM_SECRET']);
  });

  it('reads the file as a run does: a variable that is not set is the run\'s one line', () => {
    expect(() => worldSecretNames(file, { ALICE_SECRET: 'alice-secret' })).toThrow(/cameras\[0\]\.secret: environment variable CAM_SECRET is not set/);
  });
});
