import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Vitest's default (cores - 1) runs one file at a time on a 2-core machine, while most e2e files spend their
    // time waiting out storms of a fixed length: two at once keeps the suite inside its time on two cores.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
