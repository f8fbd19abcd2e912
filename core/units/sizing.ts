/**
 * Memory a Thanos sidecar needs for the Store API requests it serves, derived from the per-request
 * bounds it enforces (`--store.limits.request-series`, `--store.limits.request-samples`): a request
 * past either bound fails instead of growing the sidecar until it is OOM-killed with Prometheus'
 * pod. The estimate is deliberately simple, so a reviewer can redo it:
 *
 *   limit = base + concurrent requests x (series x bytes per series + samples x bytes per sample)
 */

/** Bounds on one Series request; 0 means unbounded (Thanos' default). */
export interface SidecarRequestLimits {
  readonly requestSeries: number;
  readonly requestSamples: number;
}

/** A series in flight: its label set (about 10-20 labels) and chunk metadata, rounded up. */
export const BYTES_PER_SERIES = 1024;
/** XOR-encoded samples take about 1.4 bytes each (Prometheus' Gorilla encoding); rounded up for chunk framing. */
export const BYTES_PER_SAMPLE = 2;
/** Requests the sidecar is sized to serve at their bound at once (one per Query replica fanning out, and a margin). */
export const CONCURRENT_REQUESTS = 4;
/** The sidecar's own footprint: reloader, uploader, gRPC server. */
export const BASE_MIB = 128;
/** Limits are rounded up to this step, so a small change of a bound does not roll the pods. */
const STEP_MIB = 128;

const MIB = 1024 * 1024;

/** The memory limit, in MiB, that the bounds need; undefined when either bound is unset (0). */
export function sidecarMemoryMiB(limits: SidecarRequestLimits): number | undefined {
  if (limits.requestSeries <= 0 || limits.requestSamples <= 0) return undefined;
  const perRequest = limits.requestSeries * BYTES_PER_SERIES + limits.requestSamples * BYTES_PER_SAMPLE;
  const mib = BASE_MIB + (CONCURRENT_REQUESTS * perRequest) / MIB;
  return Math.ceil(mib / STEP_MIB) * STEP_MIB;
}

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  Ki: 1024,
  Mi: MIB,
  Gi: 1024 * MIB,
  Ti: 1024 * 1024 * MIB,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** A Kubernetes memory quantity in bytes ("1536Mi", "2Gi", "512M"); undefined when it is not one. */
export function quantityBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(text);
  return match ? Number(match[1]) * UNITS[match[2] ?? ''] : undefined;
}

/**
 * memcached stores items in the memory `-m` gives it (MiB) and needs more beside it: a buffer per
 * connection, the hash table, its own threads. The items get this share of the container's memory
 * limit, so a full cache never pushes the container past it (`cache-wiring` checks the same bound).
 */
export const MEMCACHED_ITEM_MEMORY_SHARE = 0.8;

/** `-m` for a memcached container with this memory limit (bytes): whole MiB, at least 1. */
export function memcachedItemMemoryMiB(limitBytes: number): number {
  return Math.max(1, Math.floor((limitBytes * MEMCACHED_ITEM_MEMORY_SHARE) / MIB));
}

/**
 * An in-memory Thanos cache's `max_size` for a container with this memory limit: each of `caches`
 * in-memory caches of one container gets an equal part of half the limit, so together they hold at
 * most half of it and the work they cache has the rest (the `query-frontend-cache` and
 * `cache-wiring` rules check the same half).
 */
export function inMemoryCacheMiB(limitBytes: number, caches: number): number {
  return Math.max(1, Math.floor(limitBytes / 2 / caches / MIB));
}

/**
 * A size-based retention (Prometheus' `storage.tsdb.retention.size`, Receive's
 * `--tsdb.max-retention-bytes`) of `percent` of a volume, in whole MB as both read them (powers of 2).
 */
export function retentionSize(storageSize: string, percent: number): string {
  const bytes = quantityBytes(storageSize);
  if (bytes === undefined) throw new Error(`'${storageSize}' is not a storage quantity`);
  return `${Math.floor((bytes * percent) / 100 / MIB)}MB`;
}
