import { defineConfig } from 'vitest/config';

// Real registry, real npm installs on a 2-core machine shared with others: generous timeouts,
// and one file at a time so two Verdaccios and their npm runs don't compete.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fills the offline registry seed first if it is missing or outdated (an install step, not a test).
    globalSetup: ['../scripts/e2e-global-setup.mjs'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
