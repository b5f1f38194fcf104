/**
 * The small world conform seeds: three users and three cameras, every id and secret fresh per call so two
 * areas (or two runs) never mistake each other's data for their own.
 */
import { randomBytes } from 'node:crypto';
import type { WorldSeed } from '../protocol/schema.ts';

export interface FixtureUser {
  userId: string;
  email: string;
  password: string;
}

export interface FixtureCamera {
  cameraId: string;
  secret: string;
  ownerId: string;
}

/** alice owns `front` and `yard`, bob owns `garage`, carol owns nothing; no shares until a step makes one. */
export interface Fixture {
  tag: string;
  alice: FixtureUser;
  bob: FixtureUser;
  carol: FixtureUser;
  front: FixtureCamera;
  yard: FixtureCamera;
  garage: FixtureCamera;
  seed: WorldSeed;
}

export function makeFixture(): Fixture {
  const tag = `cf${randomBytes(4).toString('hex')}`;
  const user = (name: string): FixtureUser => ({
    userId: `${tag}-${name}`,
    email: `${name}.${tag}@conform.example`,
    password: randomBytes(9).toString('base64url'),
  });
  const camera = (name: string, owner: FixtureUser): FixtureCamera => ({
    cameraId: `${tag}-${name}`,
    secret: randomBytes(12).toString('base64url'),
    ownerId: owner.userId,
  });
  const alice = user('alice');
  const bob = user('bob');
  const carol = user('carol');
  const front = camera('front', alice);
  const yard = camera('yard', alice);
  const garage = camera('garage', bob);
  return {
    tag,
    alice,
    bob,
    carol,
    front,
    yard,
    garage,
    seed: { users: [alice, bob, carol], cameras: [front, yard, garage], shares: [] },
  };
}

let eventCounter = 0;

/** A fresh event id, unique within this process and tagged so a leak names its origin. */
export function newEventId(fixture: Fixture, label: string): string {
  eventCounter += 1;
  return `${fixture.tag}-${label}-${eventCounter}`;
}

/** Random thumbnail bytes with zero bytes forced in, so a target storing C strings or text is caught. */
export function randomThumbnail(size: number): Buffer {
  const bytes = randomBytes(size);
  for (let i = 0; i < size; i += 97) bytes[i] = 0;
  return bytes;
}
