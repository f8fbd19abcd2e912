import { defineConfig } from 'vitest/config';

/**
 * `npm run e2e`: the alerting path on real Prometheus and Alertmanager processes (test/e2e/). Kept
 * out of `npm test` (its include is *.test.ts): it runs for minutes and needs Debian's prometheus
 * and prometheus-alertmanager binaries. One file, one fork: the suite's phases share its processes.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
