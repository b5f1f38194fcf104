/** Helpers most areas share: a freshly seeded world with everyone logged in, events to send, and patience. */
import { seedWorld } from './admin.ts';
import type { CameraEvent } from './camera.ts';
import { makeFixture, newEventId, randomThumbnail, type Fixture } from './fixture.ts';
import type { Target } from './target.ts';
import { login } from './user.ts';

/** A freshly seeded world. */
export interface Seeded {
  target: Target;
  fixture: Fixture;
}

/** A seeded world and a token per user. */
export interface Session extends Seeded {
  tokens: { alice: string; bob: string; carol: string };
}

export async function seededWorld(target: Target): Promise<Seeded> {
  const fixture = makeFixture();
  await seedWorld(target, fixture.seed);
  return { target, fixture };
}

export async function seededSession(target: Target): Promise<Session> {
  const { fixture } = await seededWorld(target);
  const tokens = {
    alice: await login(target, fixture.alice),
    bob: await login(target, fixture.bob),
    carol: await login(target, fixture.carol),
  };
  return { target, fixture, tokens };
}

const KINDS = ['motion', 'sound', 'person'] as const;
let kindTurn = 0;

/** A new event with a random thumbnail; kinds rotate so a target mixing up fields is caught. */
export function newEvent(fixture: Fixture, label: string, thumbnailBytes = 256): CameraEvent {
  kindTurn += 1;
  return {
    eventId: newEventId(fixture, label),
    kind: KINDS[kindTurn % KINDS.length] as CameraEvent['kind'],
    ts: Date.now() - kindTurn,
    thumbnail: randomThumbnail(thumbnailBytes),
  };
}

/**
 * Retries `check` until it passes or `withinMs` has passed, then rethrows its last failure. For state the
 * protocol lets lag: `online`, and access changes inside their grace window.
 */
export async function eventually(withinMs: number, check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() >= deadline || attempt >= 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
