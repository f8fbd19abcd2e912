import { describe } from 'vitest';
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
const frontend = (name: string, args: string[]) => workload({ name, containers: [goodContainer({ args: ['query-frontend', ...args] })] });
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
      frontend('frontend', [
        `--query-range.response-cache-config=${memcachedConfig(['memcached.monitoring.svc:11211'], 'expiration: 24h\n').replace('  max_item_size: 1MiB\n', '  max_item_size: 1MiB\n  expiration: 24h\n').replace('expiration: 24h\nexpiration: 24h\n', '')}`,
      ]),
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
    name: 'ExternalName memcached: dns+ and a static address are not checked (warnings); an SRV name finds nothing (CNAME only); memcached in a namespace the input does not hold is not checked',
    yaml: yamlOf(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'shared-cache', namespace: 'monitoring' },
        spec: { type: 'ExternalName', externalName: 'memcached.caches.svc.cluster.local' },
      },
      store('store', [
        `--index-cache.config=${memcachedConfig([
          'dns+shared-cache.monitoring.svc.cluster.local:11211',
          'shared-cache:11211',
          srv('shared-cache'),
          'dnssrvnoa+_client._tcp.memcached.caches.svc.cluster.local',
          'dns+memcached.monitoring.svc:11211',
        ])}`,
      ]),
    ),
    expect: {
      'StatefulSet/store': [
        /^warning: .*address dns\+shared-cache.monitoring.svc.cluster.local:11211: Service shared-cache is an ExternalName Service for memcached.caches.svc.cluster.local; the memcached behind it is not checked$/,
        /^warning: .*address shared-cache:11211: Service shared-cache is an ExternalName Service/,
        /^error: .*address dnssrvnoa\+_client._tcp.shared-cache\S+: Service shared-cache is an ExternalName Service \(memcached.caches.svc.cluster.local\), which publishes only a CNAME and no SRV records.*dns\+shared-cache.monitoring.svc.cluster.local:11211/,
        /^warning: .*address dnssrvnoa\+_client._tcp.memcached.caches\S+: names Service memcached in namespace caches, which the input does not hold; not checked/,
        // The Store's own namespace is in the input: a Service missing there is missing.
        /^error: .*address dns\+memcached.monitoring.svc:11211: names Service memcached in namespace monitoring, which is not in the input$/,
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
  {
    // Outer configs strict: IndexCacheConfig (T@v0.42.4:pkg/store/cache/factory.go:29-38, :45 UnmarshalStrict), CacheProviderConfig
    // (pkg/queryfrontend/config.go:83-91). Backend strict only in Query Frontend: memcached :115-119, redis :154-158; Store's
    // redis goes through yaml.v3 Unmarshal (pkg/cacheutil/redis_client.go:384-386) and ignores unknown keys.
    name: 'redis: an unknown key stops the Query Frontend, has no effect in the Store; a misplaced outer key stops both',
    yaml: yamlOf(
      store('store-redis', ['--index-cache.config=type: REDIS\nconfig:\n  addr: redis:6379\n  dial_timeout: 5s\n  colour: red']),
      store('store-outer', ['--index-cache.config=type: IN-MEMORY\nmax_size: 256MiB\nconfig: {}']),
      frontend('frontend', [
        '--query-range.response-cache-config=type: REDIS\nconfig:\n  addr: redis:6379\n  expiration: 24h\n  read_timout: 3s',
        '--labels.response-cache-config=type: REDIS\nconfig:\n  addr: redis:6379\n  expiration: 24h\n  master_name: m',
      ]),
    ),
    expect: {
      'StatefulSet/store-redis': [
        /warning: .*--index-cache.config config has key colour, which Thanos ignores for REDIS: it has no effect/,
      ],
      'StatefulSet/store-outer': [
        /error: .*thanos store exits at start: --index-cache.config has key max_size, which Thanos does not know \(the outer config is parsed strictly/,
      ],
      'Deployment/frontend': [
        /error: .*thanos query-frontend exits at start: --query-range.response-cache-config config has key read_timout, which Thanos does not know for REDIS .* Did you mean 'read_timeout'\?/,
      ],
    },
  },
  {
    // time.Duration fields decode with time.ParseDuration (go-yaml v2.4.0 decode.go:508-513; v3.0.1 decode.go:647-650): no d.
    name: 'durations in cache configs are Go durations: 7d fails in ttl, expiration and validity, 168h passes',
    yaml: yamlOf(
      store('store-ok', ['--index-cache.config=type: REDIS\nttl: 168h\nconfig:\n  addr: redis:6379']),
      store('store-bad', [
        '--index-cache.config=type: REDIS\nttl: 7d\nconfig:\n  addr: redis:6379',
        '--store.caching-bucket.config=type: REDIS\nchunk_subrange_ttl: 1d\nconfig:\n  addr: redis:6379\n  read_timeout: 1d',
      ]),
      frontend('frontend-ok', ['--query-range.response-cache-config=type: IN-MEMORY\nconfig:\n  max_size: 128MB\n  validity: 24h']),
      frontend('frontend-bad', ['--query-range.response-cache-config=type: IN-MEMORY\nconfig:\n  max_size: 128MB\n  validity: 1w']),
    ),
    expect: {
      'StatefulSet/store-bad': [
        /error: .*thanos store exits at start: --index-cache.config ttl: 7d is not a Go duration .*write 168h for 7d/,
        /--store.caching-bucket.config chunk_subrange_ttl: 1d is not a Go duration .*write 24h for 1d/,
        /--store.caching-bucket.config config read_timeout: 1d is not a Go duration/,
      ],
      'Deployment/frontend-bad': [
        /thanos query-frontend exits at start: --query-range.response-cache-config config validity: 1w is not a Go duration .*write 168h for 1w/,
      ],
    },
  },
]);

describe('cache-wiring (mutation)', () => {
  /** memcached as a chart or a hand-written manifest runs it: its own image, port and -m flags. */
  const server = (name: string, image: string, args: string[], limits: Record<string, string> | undefined, containerPort = 11211) =>
    workload({
      kind: 'StatefulSet',
      name,
      containers: [
        {
          name: 'memcached',
          image,
          args,
          ports: [{ name: 'client', containerPort }],
          resources: { requests: { cpu: '100m', memory: '256Mi' }, ...(limits ? { limits } : {}) },
        },
      ],
    });
  const svc = (name: string, port: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'monitoring' },
    spec: { clusterIP: 'None', selector: { app: name }, ports: [port] },
  });
  const indexCache = (addresses: string[]) => `--index-cache.config=${memcachedConfig(addresses)}`;

  policyTable(cacheWiring, [
    {
      name: 'passes: memcached by digest from a registry with a port, -p 11212 and -m1600 written together, --memory-limit 800; host:port and dns+ addresses with two or more labels',
      yaml: yamlOf(
        server(
          'cache-a',
          'registry.example.com:5000/memcached@sha256:0123456789abcdef',
          ['-p', '11212', '-m1600'],
          { memory: '2Gi' },
          11212,
        ),
        svc('cache-a', { name: 'client', port: 11212, targetPort: 11212 }),
        server('cache-b', 'docker.io/library/memcached:1.6.39-alpine', ['--memory-limit', '800'], { memory: '1Gi' }),
        svc('cache-b', { name: 'client', port: 11211, targetPort: 'client' }),
        store('store', [
          indexCache(['cache-a.monitoring.svc:11212', 'dns+cache-b.monitoring:11211', 'cache-b.monitoring.svc.cluster.local.:11211']),
          '--store.caching-bucket.config=type: IN-MEMORY\nconfig:\n  max_size: 256MiB',
        ]),
        // Thanos' --index-cache-size is 250MB unless set (T@v0.42.4:cmd/thanos/store.go:123-124): 500MB is within half of 2Gi.
        store('store-sized', ['--index-cache-size=500MB']),
      ),
      expect: {},
    },
    {
      name: 'fails: -m that is not a number, memcached without a memory limit, --index-cache-size over half the limit',
      yaml: yamlOf(
        server('cache-a', 'memcached:1.6', ['-m', '1g'], { memory: '1Gi' }),
        server('cache-b', 'memcached:1.6', ['-m', '512'], undefined),
        store('store', ['--index-cache-size=1500MB']),
      ),
      expect: {
        'StatefulSet/cache-a': [/^error: container memcached: memcached -m 1g is not a number of megabytes$/],
        'StatefulSet/cache-b': [
          /^error: container memcached: memcached holds up to 512MiB of items \(-m\) but has no memory limit to fit them in$/,
        ],
        'StatefulSet/store': [
          /^error: container app: its in-memory caches \(--index-cache.config max_size 1500MB \(--index-cache-size\)\) can hold 1431MiB, more than half its memory limit 2048MiB/,
        ],
      },
    },
    {
      name: 'fails: a URL is no memcached address, a port number the Service lacks, a Service port to where memcached does not listen (by number and by name)',
      yaml: yamlOf(
        server('cache-a', 'memcached:1.6', ['-p', '11212'], { memory: '1Gi' }),
        svc('cache-a', { name: 'client', port: 11211, targetPort: 11211 }),
        // The container declares client: 11211, but -p moved memcached to 11212.
        server('cache-b', 'memcached:1.6', ['--port=11212'], { memory: '1Gi' }),
        svc('cache-b', { name: 'client', port: 11211, targetPort: 'client' }),
        store('store', [indexCache(['http://cache-a:11211', 'cache-a.monitoring.svc:11212', 'cache-a:11211', srv('cache-b')])]),
      ),
      expect: {
        'StatefulSet/store': [
          /^error: container app --index-cache.config address http:\/\/cache-a:11211: is not an address Thanos' memcached client reads/,
          /^error: container app --index-cache.config address cache-a.monitoring.svc:11212: Service cache-a has no port 11212$/,
          /^error: .*address cache-a:11211: Service cache-a port client leads to 11211, where memcached does not listen \(it listens on 11212\)$/,
          /^error: .*address dnssrvnoa\+_client._tcp.cache-b\S+: Service cache-b port client leads to client, where memcached does not listen \(it listens on 11212\)$/,
        ],
      },
    },
    {
      name: 'warns: two declared external caches (a comma-separated annotation), a cache config file that is not visible',
      yaml: yamlOf(
        store('store', [indexCache(['cache-1.example.com:11211', 'cache-2.example.com:11211'])], '2Gi', {
          'thanos-ha.dev/external-caches': 'cache-1.example.com:11211, cache-2.example.com:11211,',
        }),
        store('store-file', ['--store.caching-bucket.config-file=/etc/thanos/caching-bucket.yml']),
      ),
      expect: {
        'StatefulSet/store': [
          /^warning: .*address cache-1.example.com:11211: an external cache declared for this overlay; not checked/,
          /^warning: .*address cache-2.example.com:11211: an external cache declared for this overlay; not checked/,
        ],
        'StatefulSet/store-file': [
          /^warning: container app: --store.caching-bucket.config: no volume is mounted at \/etc\/thanos\/caching-bucket.yml in container app; not checked$/,
        ],
      },
    },
  ]);
});

describe('cache-wiring addresses without a port', () => {
  policyTable(cacheWiring, [
    {
      // T@v0.42.4 pkg/discovery/dns/resolver.go:72-82 (dns+ needs a port), pkg/cacheutil/memcached_server_selector.go:122-133
      // (a static address goes through net.ResolveTCPAddr), pkg/cacheutil/memcached_client.go:369-371 and :638-646 (no
      // server resolved: the client is not created); internal/cortex/chunk/cache/memcached_client.go:166-169 (logged only).
      name: 'fails: dns+ and plain hosts without a port (T@v0.42.4 pkg/discovery/dns/resolver.go:72-82, pkg/cacheutil/memcached_server_selector.go:122-133)',
      yaml: yamlOf(
        memcached('memcached', ['-m', '800']),
        service('memcached'),
        store('store-dns', [`--index-cache.config=${memcachedConfig(['dns+memcached.monitoring.svc'])}`]),
        store('store-plain', [`--store.caching-bucket.config=${memcachedConfig(['memcached'])}`]),
        frontend('frontend', [`--query-range.response-cache-config=${memcachedConfig(['dns+memcached.monitoring.svc'])}`]),
      ),
      expect: {
        'StatefulSet/store-dns': [
          /^error: container app --index-cache\.config address dns\+memcached\.monitoring\.svc: has no port: Thanos' DNS lookup refuses an address without a port, so the memcached client resolves no server and the process exits at start; write dns\+memcached\.monitoring\.svc:11211$/,
        ],
        'StatefulSet/store-plain': [
          /^error: container app --store\.caching-bucket\.config address memcached: has no port: a host without a port is no TCP address to Go, so .* exits at start; write memcached:11211$/,
        ],
        'Deployment/frontend': [
          /^error: .*address dns\+memcached\.monitoring\.svc: has no port: .*Query Frontend logs 'error setting memcache servers' and caches nothing; write dns\+memcached\.monitoring\.svc:11211$/,
        ],
      },
    },
    {
      name: 'passes: the same addresses with the port, and an SRV name (its port is in the record)',
      yaml: yamlOf(
        memcached('memcached', ['-m', '800']),
        service('memcached'),
        store('store', [`--index-cache.config=${memcachedConfig(['dns+memcached.monitoring.svc:11211', 'memcached:11211'])}`]),
        store('store-srv', [`--index-cache.config=${memcachedConfig(['dnssrv+_client._tcp.memcached.monitoring.svc.cluster.local'])}`]),
      ),
      expect: {},
    },
  ]);
});

describe('cache-wiring (upstream docs: a cache without an address)', () => {
  // The reference blocks of thanos v0.42.4's docs, trimmed: every value at its zero, the address empty.
  const redisDoc = (addr: string) => `type: REDIS\nconfig:\n  addr: ${addr}\n  db: 0\n  dial_timeout: 5s\n  read_timeout: 3s`;
  const memcachedDoc = (addresses: string) =>
    `type: MEMCACHED\nconfig:\n  addresses: ${addresses}\n  timeout: 0s\n  max_idle_connections: 0`;
  policyTable(cacheWiring, [
    {
      // docs/components/store.md:456-490 (index cache) and :532-551 (caching bucket): Store's clients validate the
      // address at start: "no redis addr provided" (pkg/cacheutil/redis_client.go:133-136, called at :190),
      // "no memcached addresses provided" (memcached_client.go:156-158, called at :241).
      name: 'fails: Store exits on the docs redis index cache (addr "") and a memcached caching bucket with addresses []',
      yaml: yamlOf(
        store('store', [
          `--index-cache.config=${redisDoc('""')}`,
          `--store.caching-bucket.config=${memcachedDoc('[]')}\nchunk_subrange_size: 16000`,
        ]),
      ),
      expect: {
        'StatefulSet/store': [
          /^error: container app: thanos store exits at start: --index-cache.config is a redis cache without addr \("no redis addr provided", pkg\/cacheutil\/redis_client.go:133-136@v0.42.4\)$/,
          /^error: container app: thanos store exits at start: --store.caching-bucket.config is a memcached cache without addresses \("no memcached addresses provided", pkg\/cacheutil\/memcached_client.go:156-158@v0.42.4\)$/,
        ],
      },
    },
    {
      // docs/components/query-frontend.md:68-87 (memcached) and :118-151 (redis): the frontend's Cortex cache makes
      // a memcached client only for a non-empty address list and a redis one only for a non-empty addr
      // (internal/cortex/chunk/cache/cache.go:89, :100); without either the frontend starts and caches nothing.
      name: 'fails: Query Frontend with the docs memcached (addresses []) and redis (addr "") blocks starts but caches nothing',
      yaml: yamlOf(
        frontend('frontend', [
          `--query-range.response-cache-config=${memcachedDoc('[]')}`,
          `--labels.response-cache-config=${redisDoc('""')}\n  expiration: 24h0m0s`,
        ]),
      ),
      expect: {
        'Deployment/frontend': [
          /^error: container app: --query-range.response-cache-config is a memcached cache without addresses, so thanos query-frontend creates no cache and caches nothing \(internal\/cortex\/chunk\/cache\/cache.go:89,100@v0.42.4\)$/,
          /^error: container app: --labels.response-cache-config is a redis cache without addr, so thanos query-frontend creates no cache and caches nothing/,
        ],
      },
    },
    {
      name: 'passes: the same docs blocks with an address filled in, in Store and Query Frontend',
      yaml: yamlOf(
        store('store', [`--index-cache.config=${redisDoc('redis:6379')}`]),
        frontend('frontend', [`--labels.response-cache-config=${redisDoc('redis:6379')}\n  expiration: 24h0m0s`]),
      ),
      expect: {},
    },
  ]);
});

describe('cache-wiring (held-out: a Store in-memory cache smaller than its item size)', () => {
  policyTable(cacheWiring, [
    {
      // T@v0.42.4 pkg/store/cache/inmemory.go:28-31 (defaults 250MiB / 125MiB), :72 (yaml.Unmarshal over them), :93-95
      // ("max item size (...) cannot be bigger than overall cache size"); pkg/cache/inmemory.go:23-26, 98-100 for the caching
      // bucket. model.Bytes reads sizes with units.ParseBase2Bytes (pkg/model/units.go:14-27): 1Gi has no unit it knows.
      name: 'fails: max_size 100MB alone (item size 125MiB by default), max_item_size above max_size, a size 1Gi',
      yaml: yamlOf(
        store('store-small', ['--index-cache.config=type: IN-MEMORY\nconfig:\n  max_size: 100MB']),
        store('store-item', ['--store.caching-bucket.config=type: IN-MEMORY\nconfig:\n  max_size: 64MiB\n  max_item_size: 128MiB']),
        store('store-unit', ['--index-cache.config=type: IN-MEMORY\nconfig:\n  max_size: 1Gi']),
      ),
      expect: {
        'StatefulSet/store-small': [
          /^error: container app: thanos store exits at start: --index-cache\.config IN-MEMORY max_item_size 125MiB \(the default\) is bigger than max_size 100MB \("max item size \.\.\. cannot be bigger than overall cache size"\); set max_item_size to at most max_size/,
        ],
        'StatefulSet/store-item': [
          /^error: container app: thanos store exits at start: --store\.caching-bucket\.config IN-MEMORY max_item_size 128MiB is bigger than max_size 64MiB/,
        ],
        'StatefulSet/store-unit': [
          /^error: container app: thanos store exits at start: --index-cache\.config config max_size: 1Gi is not a byte size \(model\.Bytes, read by units\.ParseBase2Bytes/,
        ],
      },
    },
    {
      name: 'passes: max_size 100MB with max_item_size 50MB, max_size 512MiB with the default item size, no sizes at all',
      yaml: yamlOf(
        store('store-a', ['--index-cache.config=type: IN-MEMORY\nconfig:\n  max_size: 100MB\n  max_item_size: 50MB']),
        store('store-b', ['--index-cache.config=type: IN-MEMORY\nconfig:\n  max_size: 512MiB']),
        store('store-c', ['--index-cache.config=type: IN-MEMORY']),
      ),
      expect: {},
    },
  ]);
});
