import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', '{cli,core,generator,policies,review,settings}/**/*.test.ts'],
    // Tests shell out to kubectl and promtool; a cold render of every overlay takes seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One generated copy of the repository on the tests' own registry, shared read-only by every file.
    globalSetup: ['test/setup/fixture-repo.ts'],
  },
});
