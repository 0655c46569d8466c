import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Worker and process isolation start a thread or a child process per test file: give them time.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
