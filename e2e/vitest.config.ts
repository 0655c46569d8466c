import { defineConfig } from 'vitest/config';

// Real registry, real npm installs on a 2-core machine shared with others: generous timeouts,
// and one file at a time so two Verdaccios and their npm runs don't compete.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
