import { describe } from 'vitest';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { queryFrontendCache } from './query-frontend-cache.js';

const cache = (size?: string) => `type: IN-MEMORY\nconfig: {${size ? `max_size: ${size}, ` : ''}max_size_items: 0}`;
const frontend = (name: string, limit: string, range?: string, labels?: string) =>
  workload({
    name,
    containers: [
      goodContainer({
        args: [
          'query-frontend',
          ...(range !== undefined ? [`--query-range.response-cache-config=${range}`] : []),
          ...(labels !== undefined ? [`--labels.response-cache-config=${labels}`] : []),
        ],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: limit } },
      }),
    ],
  });

policyTable(queryFrontendCache, [
  {
    name: 'passes: caches sized from the limit (a quarter each), a memcached cache, no cache',
    yaml: yamlOf(
      frontend('sized', '1Gi', cache('256MiB'), cache('256MiB')),
      frontend('memcached', '256Mi', 'type: MEMCACHED\nconfig: {addresses: [memcached:11211]}'),
      frontend('none', '256Mi'),
    ),
    expect: {},
  },
  {
    name: 'fails: caches larger than half the limit, an unbounded cache',
    yaml: yamlOf(frontend('big', '512Mi', cache('512MB'), cache('512MB')), frontend('unbounded', '1Gi', cache())),
    expect: {
      'Deployment/big': [/in-memory caches .* can hold 977MiB, more than half its memory limit 512MiB/],
      'Deployment/unbounded': [/--query-range.response-cache-config is an in-memory cache with neither max_size nor max_size_items/],
    },
  },
]);

describe('query-frontend-cache (upstream)', () => {
  policyTable(queryFrontendCache, [
    {
      // thanos v0.42.4 docs/components/query-frontend.md:50-54, the in-memory reference block with every value
      // zero. The frontend hands max_size and max_size_items to Cortex's FIFO cache (pkg/queryfrontend/config.go:101-113),
      // which makes no cache when both are zero (internal/cortex/chunk/cache/fifo_cache.go:102-106; the doc's own
      // note at query-frontend.md:57): nothing is cached, nothing grows, so no OOM.
      name: 'fails: the docs reference block (max_size "", max_size_items 0) makes no cache at all, for either flag',
      yaml: yamlOf(
        frontend(
          'docs',
          '1Gi',
          'type: IN-MEMORY\nconfig:\n  max_size: ""\n  max_size_items: 0\n  validity: 0s',
          'type: IN-MEMORY\nconfig:\n  max_size: ""\n  max_size_items: 0\n  validity: 0s',
        ),
      ),
      expect: {
        'Deployment/docs': [
          /^error: container app: --query-range.response-cache-config is an in-memory cache with neither max_size nor max_size_items, so thanos query-frontend creates no cache and caches nothing \(internal\/cortex\/chunk\/cache\/fifo_cache.go:102-106@v0.42.4\); set max_size$/,
          /^error: container app: --labels.response-cache-config is an in-memory cache with neither max_size nor max_size_items, so thanos query-frontend creates no cache and caches nothing/,
        ],
      },
    },
    {
      // kube-thanos main (55d4a7c) jsonnet/kube-thanos/kube-thanos-query-frontend.libsonnet:16-22, its default
      // FIFO cache: max_size '0' ("don't limit maximum item size") and max_size_items 2048, bounded by count.
      name: "passes: kube-thanos's default in-memory cache, bounded by max_size_items 2048 with max_size '0'",
      yaml: yamlOf(frontend('kube-thanos', '1Gi', "type: IN-MEMORY\nconfig:\n  max_size: '0'\n  max_size_items: 2048\n  validity: 6h")),
      expect: {},
    },
  ]);
});
