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
      'Deployment/unbounded': [/--query-range.response-cache-config is an in-memory cache with no max_size/],
    },
  },
]);
