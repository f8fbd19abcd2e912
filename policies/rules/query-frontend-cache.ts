import { cacheConfigsOf, inMemorySizes, overHalfTheLimit } from '../lib/caches.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/**
 * The response caches: range and labels. An in-memory cache with neither `max_size` nor `max_size_items`
 * is never made: Thanos hands both to Cortex's FIFO cache (T@v0.42.4:pkg/queryfrontend/config.go:101-113),
 * whose constructor returns no cache when both are zero (internal/cortex/chunk/cache/fifo_cache.go:102-106;
 * docs/components/query-frontend.md:57), so the frontend answers every query uncached.
 */
export const queryFrontendCache: Policy = {
  id: 'query-frontend-cache',
  severity: 'error',
  description:
    "A Query Frontend's in-memory response caches together hold at most half its memory limit, or the pod is OOM-killed once they fill; one with neither `max_size` nor `max_size_items` is never created.",
  remediation:
    'Size each in-memory cache from the memory limit (this project gives each a quarter of it), or raise the limit, or use memcached or Redis for the response cache.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const out: Diagnostic[] = [];
    for (const { workload, container } of index.thanosContainersOf(input, 'query-frontend')) {
      const sizes = inMemorySizes(cacheConfigsOf(index, workload, container));
      for (const s of sizes.filter((s) => !s.bounded))
        out.push({
          message: `container ${container.name}: ${s.flag} is an in-memory cache with neither max_size nor max_size_items, so thanos query-frontend creates no cache and caches nothing (internal/cortex/chunk/cache/fifo_cache.go:102-106@v0.42.4); set max_size`,
        });
      const over = overHalfTheLimit(container, sizes);
      if (over) out.push({ message: over });
    }
    return out;
  },
};
