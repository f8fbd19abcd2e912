import { cacheConfigsOf, inMemorySizes, overHalfTheLimit } from '../lib/caches.js';
import { WORKLOAD_KINDS } from '../lib/kinds.js';
import type { Diagnostic, Policy } from '../lib/types.js';

/**
 * The response caches: range and labels. An in-memory cache without `max_size` is unbounded.
 */
export const queryFrontendCache: Policy = {
  id: 'query-frontend-cache',
  severity: 'error',
  description:
    "A Query Frontend's in-memory response caches together hold at most half its memory limit, each bounded by `max_size`; otherwise the pod is OOM-killed once they fill.",
  remediation:
    'Size each in-memory cache from the memory limit (this project gives each a quarter of it), or raise the limit, or use memcached or Redis for the response cache.',
  kinds: WORKLOAD_KINDS,
  check({ input, index }) {
    const out: Diagnostic[] = [];
    for (const { workload, container } of index.thanosContainersOf(input, 'query-frontend')) {
      const sizes = inMemorySizes(cacheConfigsOf(index, workload, container));
      for (const s of sizes.filter((s) => !s.bounded))
        out.push({
          message: `container ${container.name}: ${s.flag} is an in-memory cache with no max_size: it grows until the pod is OOM-killed`,
        });
      const over = overHalfTheLimit(container, sizes);
      if (over) out.push({ message: over });
    }
    return out;
  },
};
