import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutation` runs: the rules' table tests only. They build their input in memory,
 * so the fixture repository of the main config's globalSetup (seconds per start, and Stryker starts
 * vitest once per rule) is left out.
 */
export default defineConfig({
  test: {
    include: ['policies/rules/*.test.ts'],
    testTimeout: 60_000,
  },
});
