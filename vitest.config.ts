import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'policies/**/*.test.ts', 'generator/**/*.test.ts'],
    // Tests shell out to kubectl and promtool; a cold render of every overlay takes seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
