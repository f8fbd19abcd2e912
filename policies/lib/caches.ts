import { didYouMean } from '../../core/suggest.js';
import { parseBase2Bytes } from '../../core/units/base2-bytes.js';
import { inGoHours, isGoDuration } from '../../core/units/duration.js';
import { parseBytes, parseQuantity } from '../../core/units/quantity.js';
import { asRecord, type Container, type Index, type Workload } from './model.js';
import { yamlIn } from './thanos.js';

/**
 * The cache configurations of Thanos containers, read as Thanos v0.42 reads them (docs/components/
 * store.md "Index cache" and "Caching Bucket", query-frontend.md "Caching"; pkg/store/cache,
 * pkg/queryfrontend/config.go, pkg/cacheutil): the top level is read strictly (an unknown key stops
 * the component), a Store's memcached and redis `config` leniently, a Query Frontend's strictly; a
 * time.Duration field takes a Go duration (no `d`) in either.
 */

export type CacheFlag =
  | '--index-cache.config'
  | '--store.caching-bucket.config'
  | '--query-range.response-cache-config'
  | '--labels.response-cache-config';

export const CACHE_FLAGS: Readonly<Record<string, readonly CacheFlag[]>> = {
  store: ['--index-cache.config', '--store.caching-bucket.config'],
  'query-frontend': ['--query-range.response-cache-config', '--labels.response-cache-config'],
};

const MEMCACHED_CLIENT = [
  'addresses',
  'timeout',
  'max_idle_connections',
  'max_async_concurrency',
  'max_async_buffer_size',
  'max_get_multi_concurrency',
  'max_item_size',
  'max_get_multi_batch_size',
  'dns_provider_update_interval',
  'auto_discovery',
  'set_async_circuit_breaker_config',
];
/** RedisClientConfig (T@v0.42.4:pkg/cacheutil/redis_client.go). */
const REDIS_CLIENT = [
  'addr',
  'prefix',
  'username',
  'password',
  'db',
  'dial_timeout',
  'read_timeout',
  'write_timeout',
  'max_get_multi_concurrency',
  'get_multi_batch_size',
  'max_set_multi_concurrency',
  'set_multi_batch_size',
  'tls_enabled',
  'tls_config',
  'cache_size',
  'master_name',
  'max_async_buffer_size',
  'max_async_concurrency',
  'set_async_circuit_breaker_config',
];
/**
 * Keys whose Go type is time.Duration: yaml.v2 and yaml.v3 decode a string into it with time.ParseDuration
 * (go-yaml v2.4.0 decode.go:508-513, v3.0.1 decode.go:647-650), so `7d` fails even where unknown keys are
 * ignored. IndexCacheConfig.TTL (pkg/store/cache/factory.go:37), the caching bucket's *_ttl
 * (caching_bucket_factory.go:39-61), memcached timeout and dns_provider_update_interval, redis *_timeout,
 * the response caches' expiration (pkg/queryfrontend/config.go:68-78) and in-memory validity (:64).
 */
/** The caching bucket's time.Duration keys. */
const CACHING_BUCKET_TTLS = [
  'chunk_object_attrs_ttl',
  'chunk_subrange_ttl',
  'blocks_iter_ttl',
  'metafile_exists_ttl',
  'metafile_doesnt_exist_ttl',
  'metafile_content_ttl',
];
const GO_DURATION_KEYS = new Set([
  'ttl',
  ...CACHING_BUCKET_TTLS,
  'timeout',
  'dns_provider_update_interval',
  'dial_timeout',
  'read_timeout',
  'write_timeout',
  'expiration',
  'validity',
]);
const CACHING_BUCKET_TOP = [
  'type',
  'config',
  'chunk_subrange_size',
  'max_chunks_get_range_requests',
  'metafile_max_size',
  ...CACHING_BUCKET_TTLS,
];

interface Format {
  readonly top: readonly string[];
  readonly types: readonly string[];
  /** Keys of `config` per type; `strict` when Thanos refuses an unknown one. */
  readonly config: Readonly<Record<string, { readonly keys: readonly string[]; readonly strict: boolean }>>;
}

const FORMATS: Readonly<Record<CacheFlag, Format>> = {
  // Store: the backend config goes through yaml.Unmarshal (inmemory.go:70-72, memcached_client.go:178-180) or
  // yaml.v3 Unmarshal (redis_client.go:384-386): unknown keys are ignored.
  '--index-cache.config': {
    top: ['type', 'config', 'enabled_items', 'ttl'],
    types: ['IN-MEMORY', 'MEMCACHED', 'REDIS'],
    config: {
      'IN-MEMORY': { keys: ['max_size', 'max_item_size'], strict: false },
      MEMCACHED: { keys: MEMCACHED_CLIENT, strict: false },
      REDIS: { keys: REDIS_CLIENT, strict: false },
    },
  },
  '--store.caching-bucket.config': {
    top: CACHING_BUCKET_TOP,
    types: ['IN-MEMORY', 'MEMCACHED', 'REDIS', 'GROUPCACHE'],
    config: {
      'IN-MEMORY': { keys: ['max_size', 'max_item_size'], strict: false },
      MEMCACHED: { keys: MEMCACHED_CLIENT, strict: false },
      REDIS: { keys: REDIS_CLIENT, strict: false },
    },
  },
  '--query-range.response-cache-config': {
    top: ['type', 'config'],
    types: ['IN-MEMORY', 'MEMCACHED', 'REDIS'],
    config: {
      'IN-MEMORY': { keys: ['max_size', 'max_size_items', 'validity'], strict: false },
      MEMCACHED: { keys: [...MEMCACHED_CLIENT, 'expiration'], strict: true },
      REDIS: { keys: [...REDIS_CLIENT, 'expiration'], strict: true },
    },
  },
  '--labels.response-cache-config': {
    top: ['type', 'config'],
    types: ['IN-MEMORY', 'MEMCACHED', 'REDIS'],
    config: {
      'IN-MEMORY': { keys: ['max_size', 'max_size_items', 'validity'], strict: false },
      MEMCACHED: { keys: [...MEMCACHED_CLIENT, 'expiration'], strict: true },
      REDIS: { keys: [...REDIS_CLIENT, 'expiration'], strict: true },
    },
  },
};

export interface CacheConfig {
  readonly flag: CacheFlag;
  /** Upper-cased provider type ("IN-MEMORY", "MEMCACHED", ...). */
  readonly type?: string;
  readonly config: Record<string, unknown>;
  /** Problems Thanos would refuse to start with (errors) or silently ignore (warnings). */
  readonly problems: readonly { readonly message: string; readonly severity: 'error' | 'warning' }[];
  /** Why the config is not visible. */
  readonly unreadable?: string;
}

/** Every cache config of a Thanos container, inline or through its file. */
export function cacheConfigsOf(index: Index, workload: Workload, container: Container): CacheConfig[] {
  const out: CacheConfig[] = [];
  for (const flag of CACHE_FLAGS[container.thanos ?? ''] ?? []) {
    const inline = container.flags.get(flag);
    const file = container.flags.get(`${flag}-file`);
    if (inline === undefined && file === undefined) continue;
    const got = inline !== undefined ? { text: inline, problem: undefined } : index.fileText(workload, container, file!);
    if (got.text === undefined) {
      out.push({ flag, config: {}, problems: [], unreadable: got.problem });
      continue;
    }
    const doc = asRecord(yamlIn(index, got.text));
    if (!doc) {
      out.push({ flag, config: {}, problems: [{ message: `${flag} is not a YAML mapping`, severity: 'error' }] });
      continue;
    }
    const format = FORMATS[flag];
    const exits = `thanos ${container.thanos} exits at start`;
    const problems: { message: string; severity: 'error' | 'warning' }[] = [];
    for (const key of Object.keys(doc))
      if (!format.top.includes(key))
        problems.push({
          message: `${exits}: ${flag} has key ${key}, which Thanos does not know (the outer config is parsed strictly: "field ${key} not found"); known: ${format.top.join(', ')}${didYouMean(key, format.top)}`,
          severity: 'error',
        });
    const type = typeof doc.type === 'string' ? doc.type.toUpperCase() : undefined;
    if (!type || !format.types.includes(type))
      problems.push({
        message: `${flag} type ${String(doc.type ?? '(none)')} is not one of ${format.types.join(', ')}`,
        severity: 'error',
      });
    const config = asRecord(doc.config) ?? {};
    const keys = type ? format.config[type] : undefined;
    if (keys) {
      for (const key of Object.keys(config)) {
        if (keys.keys.includes(key)) continue;
        const hint = didYouMean(key, keys.keys);
        problems.push(
          keys.strict
            ? {
                message: `${exits}: ${flag} config has key ${key}, which Thanos does not know for ${type} (thanos ${container.thanos} parses its ${type} config strictly)${hint}`,
                severity: 'error',
              }
            : {
                message: `${flag} config has key ${key}, which Thanos ignores for ${type}: it has no effect (thanos ${container.thanos} parses its ${type} config leniently)${hint}`,
                severity: 'warning',
              },
        );
      }
    }
    // Only keys Thanos reads: an unknown key is already an error (strict) or has no effect (lenient).
    for (const [where, record, known] of [
      ['', doc, format.top],
      ['config ', config, keys?.keys ?? []],
    ] as const) {
      for (const [key, value] of Object.entries(record)) {
        if (!known.includes(key) || !GO_DURATION_KEYS.has(key) || typeof value !== 'string' || isGoDuration(value)) continue;
        problems.push({
          message: `${exits}: ${flag} ${where}${key}: ${value} is not a Go duration (a time.Duration field: units ns, us, ms, s, m, h; no days); write ${inGoHours(value) ?? 'e.g. 90s or 24h'}`,
          severity: 'error',
        });
      }
    }
    // A Store's in-memory caches read max_size and max_item_size as model.Bytes (units.ParseBase2Bytes: a unit is
    // required) over the defaults 250MiB and 125MiB, and refuse an item size above the cache size: "max item size (...)
    // cannot be bigger than overall cache size" (T@v0.42.4 pkg/store/cache/inmemory.go:28-31,93-95 for the index cache,
    // pkg/cache/inmemory.go:23-26,98-100 for the caching bucket). max_size: 100MB alone therefore stops the process.
    if (type === 'IN-MEMORY' && STORE_FLAGS.includes(flag)) {
      const sizes = (['max_size', 'max_item_size'] as const).map((key) => {
        const value = config[key];
        const fallback = key === 'max_size' ? STORE_DEFAULT_MAX_SIZE : STORE_DEFAULT_MAX_SIZE / 2;
        if (value === undefined || value === null) return { key, bytes: fallback, text: `${fallback / 2 ** 20}MiB (the default)` };
        const text = String(value);
        const bytes = parseBase2Bytes(text);
        if (bytes === undefined)
          problems.push({
            message: `${exits}: ${flag} config ${key}: ${text} is not a byte size (model.Bytes, read by units.ParseBase2Bytes: a unit B, KiB..EiB or KB..EB is required, e.g. 512MiB)`,
            severity: 'error',
          });
        return { key, bytes, text };
      });
      const [size, item] = sizes;
      if (size.bytes !== undefined && item.bytes !== undefined && item.bytes > size.bytes)
        problems.push({
          message: `${exits}: ${flag} IN-MEMORY max_item_size ${item.text} is bigger than max_size ${size.text} ("max item size ... cannot be bigger than overall cache size"); set max_item_size to at most max_size, e.g. half of it`,
          severity: 'error',
        });
    }
    // Store's clients refuse an empty address at start (T@v0.42.4 pkg/cacheutil/memcached_client.go:156-158,
    // redis_client.go:133-136); Query Frontend's Cortex cache makes no client without one and caches nothing
    // (internal/cortex/chunk/cache/cache.go:89,100).
    const missing =
      type === 'MEMCACHED' && (!Array.isArray(config.addresses) || config.addresses.length === 0)
        ? { what: 'a memcached cache without addresses', go: 'no memcached addresses provided', at: 'memcached_client.go:156-158' }
        : type === 'REDIS' && (typeof config.addr !== 'string' || config.addr === '')
          ? { what: 'a redis cache without addr', go: 'no redis addr provided', at: 'redis_client.go:133-136' }
          : undefined;
    if (missing)
      problems.push({
        message:
          container.thanos === 'query-frontend'
            ? `${flag} is ${missing.what}, so thanos query-frontend creates no cache and caches nothing (internal/cortex/chunk/cache/cache.go:89,100@v0.42.4)`
            : `${exits}: ${flag} is ${missing.what} ("${missing.go}", pkg/cacheutil/${missing.at}@v0.42.4)`,
        severity: 'error',
      });
    out.push({ flag, type, config, problems });
  }
  return out;
}

/** A Store's in-memory caches hold 250MiB when max_size is unset (DefaultInMemoryIndexCacheConfig, DefaultInMemoryCacheConfig). */
const STORE_DEFAULT_MAX_SIZE = 250 * 2 ** 20;
const STORE_FLAGS: readonly CacheFlag[] = ['--index-cache.config', '--store.caching-bucket.config'];

/**
 * The in-memory caches' sizes in bytes (undefined: unbounded), and the text each was given as. A
 * Store's unset max_size is its 250MiB default; a Query Frontend's unset max_size has no bound.
 */
export function inMemorySizes(caches: readonly CacheConfig[]): { flag: CacheFlag; bytes?: number; text: string; bounded: boolean }[] {
  return caches
    .filter((c) => c.type === 'IN-MEMORY')
    .map((c) => {
      const size = c.config.max_size;
      const unset = size === undefined || size === '' || parseBytes(size) === 0;
      if (unset && STORE_FLAGS.includes(c.flag))
        return { flag: c.flag, bytes: STORE_DEFAULT_MAX_SIZE, text: '250MiB (the default)', bounded: true };
      const bytes = unset ? undefined : parseBytes(size);
      // A response cache bounded by item count only is bounded, though not in bytes.
      const bounded = (bytes !== undefined && bytes > 0) || Number(c.config.max_size_items ?? 0) > 0;
      return { flag: c.flag, bytes: bytes && bytes > 0 ? bytes : undefined, text: String(size ?? ''), bounded };
    });
}

export type CacheSize = ReturnType<typeof inMemorySizes>[number];

/**
 * In-memory caches of one container against its memory limit: together at most half of it, the
 * bound core/units/sizing.ts sizes them by. The finding's message, or undefined when they fit.
 */
export function overHalfTheLimit(container: Container, sizes: readonly CacheSize[]): string | undefined {
  const limit = parseQuantity(asRecord(asRecord(container.raw.resources)?.limits)?.memory);
  const bounded = sizes.filter((s) => s.bytes !== undefined);
  if (limit === undefined || bounded.length === 0) return undefined;
  const total = bounded.reduce((n, s) => n + (s.bytes ?? 0), 0);
  if (total <= limit / 2) return undefined;
  const mib = (b: number) => `${Math.round(b / 2 ** 20)}MiB`;
  return `container ${container.name}: its in-memory caches (${bounded.map((s) => `${s.flag} max_size ${s.text}`).join(', ')}) can hold ${mib(total)}, more than half its memory limit ${mib(limit)}; when they fill, the pod is OOM-killed`;
}
