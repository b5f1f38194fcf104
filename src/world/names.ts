/**
 * Person names for the world's users. The only file `buildWorld` reaches that imports a library (zod stays in
 * spec.ts), so the name source can be swapped in one place. Faker draws from our own seeded stream (its
 * `randomizer` option), never from its global instance or its default random seed.
 */
import { Faker, en } from '@faker-js/faker';
import type { Random } from './random.ts';

/** Where user names come from. */
export interface NameSource {
  firstName(): string;
  lastName(): string;
}

export function fakerNames(random: Random): NameSource {
  const faker = new Faker({
    locale: [en],
    randomizer: {
      next: () => random.next(),
      // The stream is seeded once by its creator; faker must not reseed it behind our back.
      seed: () => {},
    },
  });
  return {
    firstName: () => faker.person.firstName(),
    lastName: () => faker.person.lastName(),
  };
}
