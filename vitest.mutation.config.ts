import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutation` runs: one rule's table test (MUTATION_RULE, set by
 * policies/build/mutation.ts for each Stryker run), or every rule's. They build their input in
 * memory, so the fixture repository of the main config's globalSetup (seconds per start, and Stryker
 * starts vitest once per rule) is left out.
 *
 * One test file through `include`, not Stryker's `testFiles`: with a test filter, StrykerJS 9.6.1
 * activates a mutant of module-level code after the module has loaded, and reports it survived
 * whatever the test does (stryker-mutator/stryker-js#6144).
 */
const rule = process.env.MUTATION_RULE;

export default defineConfig({
  test: {
    include: [rule ? `policies/rules/${rule}.test.ts` : 'policies/rules/*.test.ts'],
    testTimeout: 60_000,
    isolate: false,
  },
});
