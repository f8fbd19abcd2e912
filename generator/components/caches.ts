import type { StackConfig } from '../model/stack.js';
import { EXTERNAL_CACHE_ANNOTATION } from '../../core/labels.js';
import { parseQuantity } from '../../core/units/quantity.js';
import { inMemoryCacheMiB } from '../../core/units/sizing.js';
import { stringify } from '../../core/yaml.js';
import { cacheAddresses } from './memcached.js';

/**
 * Thanos cache configurations in the format Thanos v0.42 documents (docs/components/store.md
 * "Index cache" and "Caching Bucket", query-frontend.md "Caching"; `cache-wiring` checks the same):
 * memcached client settings are the documented defaults of the caching bucket example.
 */

/** memcached's `-I` ("1m", "512k") as Thanos' `max_item_size` ("1MiB", "512KiB"). */
export function thanosItemSize(memcachedSize: string): string {
  const m = /^(\d+)([km])$/.exec(memcachedSize);
  if (!m) throw new Error(`cache.maxItemSize '${memcachedSize}' is not a memcached -I size such as 1m or 512k`);
  return `${m[1]}${m[2] === 'm' ? 'MiB' : 'KiB'}`;
}

function memcachedClient(stack: StackConfig): Record<string, unknown> {
  return {
    addresses: cacheAddresses(stack),
    timeout: '500ms',
    max_idle_connections: 100,
    max_async_concurrency: 20,
    max_async_buffer_size: 10000,
    max_item_size: thanosItemSize(stack.cache.maxItemSize),
    max_get_multi_concurrency: 100,
    max_get_multi_batch_size: 0,
    dns_provider_update_interval: '10s',
  };
}

function memoryLimit(field: string, text: string): number {
  const bytes = parseQuantity(text);
  if (bytes === undefined || bytes <= 0) throw new Error(`${field} '${text}' is not a memory quantity`);
  return bytes;
}

/** The in-memory index cache's default max_item_size, in MiB (T@v0.42.4 pkg/store/cache/inmemory.go:30). */
const STORE_DEFAULT_MAX_ITEM_MIB = 125;

/**
 * Store Gateway cache flags. In memory: an index cache of a quarter of the memory limit (the
 * default 250MB would outgrow a small Store and means nothing to a large one) and no caching bucket.
 * With memcached: the index cache and the caching bucket (chunks and metadata) both there.
 */
export function storeCacheFlags(stack: StackConfig): string[] {
  if (stack.cache.backend === 'in-memory') {
    const mib = inMemoryCacheMiB(memoryLimit('store.resources.memoryLimit', stack.store.resources.memoryLimit), 2);
    // The index cache's max_item_size defaults to 125MiB and may not exceed max_size, or the Store exits at start
    // (T@v0.42.4 pkg/store/cache/inmemory.go:28-31, 93-95): a small Store (a limit under 500Mi) names a smaller one.
    const item = mib < STORE_DEFAULT_MAX_ITEM_MIB ? { max_item_size: `${Math.max(1, Math.floor(mib / 2))}MiB` } : {};
    return [`--index-cache.config=${stringify({ type: 'IN-MEMORY', config: { max_size: `${mib}MiB`, ...item } })}`];
  }
  const config = memcachedClient(stack);
  return [
    `--index-cache.config=${stringify({ type: 'MEMCACHED', config })}`,
    `--store.caching-bucket.config=${stringify({
      type: 'MEMCACHED',
      config,
      chunk_subrange_size: 16000,
      max_chunks_get_range_requests: 3,
      chunk_object_attrs_ttl: '24h',
      chunk_subrange_ttl: '24h',
      blocks_iter_ttl: '5m',
      metafile_exists_ttl: '2h',
      metafile_doesnt_exist_ttl: '15m',
      metafile_content_ttl: '24h',
      metafile_max_size: '1MiB',
    })}`,
  ];
}

/**
 * The Query Frontend's response cache config (range and labels share it). In memory: each of the
 * two caches gets a quarter of the memory limit. With memcached: results kept 24h (Thanos' default).
 */
export function responseCacheConfig(stack: StackConfig): string {
  if (stack.cache.backend === 'in-memory') {
    const mib = inMemoryCacheMiB(memoryLimit('queryFrontend.resources.memoryLimit', stack.queryFrontend.resources.memoryLimit), 2);
    return stringify({ type: 'IN-MEMORY', config: { max_size: `${mib}MiB`, max_size_items: 0, validity: '0s' } });
  }
  return stringify({ type: 'MEMCACHED', config: { ...memcachedClient(stack), expiration: '24h' } });
}

/**
 * Marks a cache client (Store, Query Frontend) with the external cache addresses the overlay
 * declared, so `check` reports them as not checked instead of failing to find their Service.
 */
export function withExternalCache<W extends { metadata?: { annotations?: Record<string, string> } }>(stack: StackConfig, workload: W): W {
  if (stack.cache.backend !== 'external') return workload;
  workload.metadata = {
    ...workload.metadata,
    annotations: { ...workload.metadata?.annotations, [EXTERNAL_CACHE_ANNOTATION]: stack.cache.externalAddresses.join(', ') },
  };
  return workload;
}
