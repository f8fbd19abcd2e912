import { cacheWiring } from './cache-wiring.js';
import { goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';

const memcached = (name: string, args: string[], limit = '1Gi') =>
  workload({
    kind: 'StatefulSet',
    name,
    containers: [
      {
        name: 'memcached',
        image: 'docker.io/library/memcached:1.6.39-alpine',
        args,
        ports: [{ name: 'client', containerPort: 11211 }],
        resources: { requests: { cpu: '100m', memory: limit }, limits: { memory: limit } },
      },
    ],
  });
const service = (name: string, headless = true, port = { name: 'client', port: 11211, targetPort: 'client' }) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'monitoring' },
  spec: { ...(headless ? { clusterIP: 'None' } : {}), selector: { app: name }, ports: [port] },
});
const memcachedConfig = (addresses: string[], extra = '') =>
  `type: MEMCACHED\nconfig:\n  addresses: [${addresses.map((a) => `"${a}"`).join(', ')}]\n  max_item_size: 1MiB\n${extra}`;
const store = (name: string, args: string[], limit = '2Gi', annotations?: Record<string, string>) =>
  workload({
    kind: 'StatefulSet',
    name,
    annotations,
    containers: [
      goodContainer({ args: ['store', ...args], resources: { requests: { cpu: '100m', memory: '1Gi' }, limits: { memory: limit } } }),
    ],
  });
const srv = (service: string) => `dnssrvnoa+_client._tcp.${service}.monitoring.svc.cluster.local`;

policyTable(cacheWiring, [
  {
    name: 'passes: Store index cache and caching bucket on a headless memcached Service, -m within 80% of the limit; in-memory caches within half the limit; a frontend memcached response cache',
    yaml: yamlOf(
      memcached('memcached', ['-m', '819', '-I', '1m']),
      service('memcached'),
      store('store', [
        `--index-cache.config=${memcachedConfig([srv('memcached')])}`,
        `--store.caching-bucket.config=${memcachedConfig([`dnssrv+_client._tcp.memcached.monitoring.svc`], 'chunk_subrange_size: 16000\nmax_chunks_get_range_requests: 3\n')}`,
      ]),
      store('small', ['--index-cache.config=type: IN-MEMORY\nconfig:\n  max_size: 256MiB'], '1Gi'),
      workload({
        name: 'frontend',
        containers: [
          goodContainer({
            args: [
              'query-frontend',
              `--query-range.response-cache-config=${memcachedConfig(['memcached.monitoring.svc:11211'], 'expiration: 24h\n').replace('  max_item_size: 1MiB\n', '  max_item_size: 1MiB\n  expiration: 24h\n').replace('expiration: 24h\nexpiration: 24h\n', '')}`,
            ],
          }),
        ],
      }),
    ),
    expect: {},
  },
  {
    name: 'fails: an address to nothing, a ClusterIP Service for SRV, a port name that is not there, a Service without memcached, unknown keys, no addresses',
    yaml: yamlOf(
      memcached('memcached', ['-m', '100']),
      service('memcached', false),
      service('wrong-port', true, { name: 'memcache', port: 11211, targetPort: 'client' }),
      service('not-memcached'),
      workload({
        kind: 'StatefulSet',
        name: 'not-memcached',
        containers: [goodContainer({ image: 'docker.io/library/nginx:1.27.3', args: [] })],
      }),
      store('store', [
        `--index-cache.config=${memcachedConfig([srv('nothing'), srv('memcached'), srv('wrong-port'), srv('not-memcached')])}`,
        '--store.caching-bucket.config=type: MEMCACHED\nconfig:\n  timeout: 1s\nchunk_ttl: 1h',
      ]),
    ),
    expect: {
      'StatefulSet/store': [
        /address dnssrvnoa\+_client._tcp.nothing\S+: names Service nothing in namespace monitoring, which is not in the input/,
        /address dnssrvnoa\+_client._tcp.memcached\S+: Service memcached is not headless/,
        /address dnssrvnoa\+_client._tcp.wrong-port\S+: Service wrong-port has no port named client/,
        /Service not-memcached selects no memcached pod \(it selects not-memcached\)/,
        /--store.caching-bucket.config has key chunk_ttl, which Thanos does not know/,
        /--store.caching-bucket.config is a memcached cache without addresses/,
      ],
    },
  },
  {
    name: 'fails: in-memory caches over half the limit (the 250MB default included); memcached -m above 80% of its limit. Warns: a declared external cache, an outside address, an ignored key',
    yaml: yamlOf(
      memcached('memcached', ['--memory-limit=1000'], '1Gi'),
      store('store', ['--store.caching-bucket.config=type: IN-MEMORY\nconfig:\n  max_size: 400MiB\n  max_items: 3'], '1Gi'),
      store(
        'external',
        [`--index-cache.config=${memcachedConfig(['cache.example.com:11211', 'memcached.ops.example.net:11211'])}`],
        '2Gi',
        { 'thanos-ha.dev/external-caches': 'cache.example.com:11211' },
      ),
    ),
    expect: {
      'StatefulSet/memcached': [/memcached -m 1000 \(MiB of items\) is more than 80% of its memory limit \(1024MiB\).*Give it -m 819/],
      'StatefulSet/store': [
        /warning: .*config has key max_items, which Thanos ignores for IN-MEMORY/,
        /in-memory caches \(--store.caching-bucket.config max_size 400MiB, --index-cache.config max_size 250MB \(--index-cache-size\)\) can hold 638MiB, more than half its memory limit 1024MiB/,
      ],
      'StatefulSet/external': [
        /warning: .*address cache.example.com:11211: an external cache declared for this overlay; not checked/,
        /warning: .*address memcached.ops.example.net:11211: outside the cluster and not declared/,
      ],
    },
  },
]);
