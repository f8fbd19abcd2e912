import type { StackConfig } from './stack.js';
import { ConfigError } from '../../core/errors.js';
import { parseDuration } from '../../core/units/duration.js';
import { imageTag } from '../../core/labels.js';
import { quantityBytes, sidecarMemoryMiB } from '../../core/units/sizing.js';
import { PROMETHEUS_VERSION, THANOS_VERSION } from '../../settings/versions.js';
import { RETENTION_LAYOUT_RELEASES, retentionLayout } from '../../core/prometheus/retention.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function duration(field: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new ConfigError(field, `'${value}' is not a duration; use Prometheus units such as 2h, 30d or 1y`);
  return ms;
}

function positiveInteger(field: string, value: number, minimum = 1): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new ConfigError(field, `${value} must be a whole number of at least ${minimum}`);
  }
}

/**
 * Rejects a stack config that would deploy but not work: every rule here is a known way a
 * Thanos HA deployment fails quietly. The message names the field and what to change.
 */
export function validateStack(stack: StackConfig): void {
  if (stack.namespace.length > 63 || !DNS_LABEL.test(stack.namespace)) {
    throw new ConfigError(
      'namespace',
      `'${stack.namespace}' must be a DNS label: lowercase letters, digits and '-', at most 63 characters`,
    );
  }
  if (!DNS_LABEL.test(stack.instance)) throw new ConfigError('instance', `'${stack.instance}' must be a DNS label`);
  for (const [field, image] of [
    ['thanosImage', stack.thanosImage],
    ['prometheusImage', stack.prometheusImage],
  ] as const) {
    const tag = imageTag(image);
    if (tag === 'latest' && !image.includes('@sha256:')) {
      throw new ConfigError(field, `'${image}' is not pinned; give an exact tag such as :${THANOS_VERSION}`);
    }
  }
  const thanosTag = imageTag(stack.thanosImage);
  if (!thanosTag.startsWith(THANOS_VERSION.split('.').slice(0, 2).join('.'))) {
    throw new ConfigError(
      'thanosImage',
      `tag ${thanosTag} is not in the pinned Thanos line ${THANOS_VERSION}; flags are checked against that version`,
    );
  }
  if (!/^v3\./.test(imageTag(stack.prometheusImage))) {
    throw new ConfigError('prometheusImage', `tag ${imageTag(stack.prometheusImage)} is not a Prometheus v3 release`);
  }
  // Overlays are patches on objects built with the pinned image (generator/overlay/plan.ts), so an
  // overlay's image must read its retention where the pinned release does.
  const layout = retentionLayout(imageTag(stack.prometheusImage));
  const pinnedLayout = retentionLayout(PROMETHEUS_VERSION);
  if (layout && pinnedLayout && layout !== pinnedLayout) {
    throw new ConfigError(
      'prometheusImage',
      `tag ${imageTag(stack.prometheusImage)} reads its retention as ${RETENTION_LAYOUT_RELEASES[layout]} does, the pinned ${PROMETHEUS_VERSION} as ${RETENTION_LAYOUT_RELEASES[pinnedLayout]} does (core/prometheus/retention.ts); change PROMETHEUS_VERSION in settings/versions.ts instead`,
    );
  }

  const p = stack.prometheus;
  positiveInteger('prometheus.replicas', p.replicas);
  const block = duration('prometheus.blockDuration', p.blockDuration);
  const retention = duration('prometheus.retention', p.retention);
  if (retention < 3 * block) {
    throw new ConfigError(
      'prometheus.retention',
      `${p.retention} is shorter than 3 x blockDuration (${p.blockDuration}); the sidecar may lose blocks before it uploads them`,
    );
  }
  duration('prometheus.scrapeInterval', p.scrapeInterval);
  for (const [key, value] of Object.entries(p.sidecarLimits)) positiveInteger(`prometheus.sidecarLimits.${key}`, value, 0);
  const needed = sidecarMemoryMiB(p.sidecarLimits);
  const limit = quantityBytes(p.sidecarResources.memoryLimit);
  if (needed !== undefined && (limit === undefined || limit < needed * 1024 * 1024)) {
    throw new ConfigError(
      'prometheus.sidecarResources.memoryLimit',
      `${p.sidecarResources.memoryLimit} is below the ${needed}Mi that sidecarLimits (${p.sidecarLimits.requestSeries} series, ${p.sidecarLimits.requestSamples} samples per request) need; raise it or lower the limits (core/units/sizing.ts)`,
    );
  }
  // The value goes into Prometheus' YAML and, quoted, into the Ruler's and Receive's --label flag.
  if (p.clusterLabel === '' || /["\\\n]/.test(p.clusterLabel)) {
    throw new ConfigError(
      'prometheus.clusterLabel',
      `'${p.clusterLabel}' must be a non-empty label value without quotes, backslashes or line breaks, e.g. the overlay's cluster`,
    );
  }

  positiveInteger('query.replicas', stack.query.replicas);
  duration('query.timeout', stack.query.timeout);
  positiveInteger('queryFrontend.replicas', stack.queryFrontend.replicas);
  duration('queryFrontend.splitInterval', stack.queryFrontend.splitInterval);
  positiveInteger('store.replicas', stack.store.replicas);
  validateScale(stack);

  const c = stack.compact;
  const raw = duration('compact.retentionRaw', c.retentionRaw);
  const fiveMinute = duration('compact.retention5m', c.retention5m);
  const oneHour = duration('compact.retention1h', c.retention1h);
  const forever = (ms: number) => (ms === 0 ? Number.POSITIVE_INFINITY : ms);
  if (forever(raw) > forever(fiveMinute) || forever(fiveMinute) > forever(oneHour)) {
    throw new ConfigError(
      'compact.retention5m',
      `retention must not shrink with resolution: raw ${c.retentionRaw} <= 5m ${c.retention5m} <= 1h ${c.retention1h} (0 means forever)`,
    );
  }
  positiveInteger('compact.concurrency', c.concurrency);
  const deleteDelay = duration('compact.deleteDelay', c.deleteDelay);
  const ignoreDelay = duration('store.ignoreDeletionMarksDelay', stack.store.ignoreDeletionMarksDelay);
  if (ignoreDelay >= deleteDelay) {
    throw new ConfigError(
      'store.ignoreDeletionMarksDelay',
      `${stack.store.ignoreDeletionMarksDelay} must be below compact.deleteDelay (${c.deleteDelay}), about half of it, or Store reads blocks Compact already deleted`,
    );
  }

  const r = stack.receive;
  positiveInteger('receive.replicas', r.replicas);
  positiveInteger('receive.replicationFactor', r.replicationFactor);
  if (r.replicationFactor > r.replicas) {
    throw new ConfigError(
      'receive.replicationFactor',
      `${r.replicationFactor} exceeds receive.replicas (${r.replicas}); every write would fail`,
    );
  }
  duration('receive.retention', r.retention);

  positiveInteger('ruler.replicas', stack.ruler.replicas);
  duration('ruler.evalInterval', stack.ruler.evalInterval);

  const am = stack.alertmanager;
  positiveInteger('alertmanager.replicas', am.replicas);
  duration('alertmanager.retention', am.retention);
  if (imageTag(stack.alertmanagerImage) === 'latest' && !stack.alertmanagerImage.includes('@sha256:')) {
    throw new ConfigError('alertmanagerImage', `'${stack.alertmanagerImage}' is not pinned; give an exact tag`);
  }
  if (am.enabled && am.externalUrls.length > 0) {
    throw new ConfigError(
      'alertmanager.externalUrls',
      'is set while alertmanager.enabled is true; alerts would go to two Alertmanagers. Set enabled: false to use the external one, or remove externalUrls',
    );
  }
  // Without an Alertmanager every alert is dropped in silence: that is never a default. A Prometheus
  // agent without a Ruler evaluates no alerts at all (its data is alerted on in the observer).
  const alertsEvaluated = stack.prometheus.mode === 'server' || stack.ruler.enabled;
  if (!am.enabled && am.externalUrls.length === 0 && alertsEvaluated) {
    throw new ConfigError(
      'alertmanager.externalUrls',
      'is empty while alertmanager.enabled is false; give the URL of every replica of your Alertmanager, e.g. http://alertmanager-0.alertmanager.ops.svc:9093',
    );
  }
  for (const url of am.externalUrls) {
    if (!isHttpUrl(url) || !new URL(url).port) {
      throw new ConfigError(
        'alertmanager.externalUrls',
        `'${url}' is not an http(s) URL with host and port; use e.g. http://alertmanager-0.alertmanager.ops.svc:9093`,
      );
    }
  }
}

function percent(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 95)
    throw new ConfigError(
      field,
      `${value} must be a whole percentage from 1 to 95 of the volume (0 turns size-based retention off); the WAL and the block being written need the rest`,
    );
}

/** A Thanos --min-time/--max-time: RFC 3339, or a duration relative to now ("-2w"). */
const THANOS_TIME = /^(-?(\d+(y|w|d|h|m|s|ms))+|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))$/;

/** The scale options (caches, shards, split Receive, placement): each refused where it would deploy but not work. */
function validateScale(stack: StackConfig): void {
  const s = stack.store;
  positiveInteger('store.shards', s.shards);
  s.timePartitions.forEach((partition, i) => {
    const field = `store.timePartitions[${i}]`;
    if (!DNS_LABEL.test(partition.name) || partition.name.length > 20)
      throw new ConfigError(
        `${field}.name`,
        `'${partition.name}' must be a short DNS label (at most 20 characters): it names StatefulSets`,
      );
    for (const key of ['minTime', 'maxTime'] as const) {
      if (partition[key] !== '' && !THANOS_TIME.test(partition[key]))
        throw new ConfigError(
          `${field}.${key}`,
          `'${partition[key]}' is neither RFC 3339 (2026-01-01T00:00:00Z) nor a duration relative to now (-2w); "" leaves the range open`,
        );
    }
    const next = s.timePartitions[i + 1];
    // Consecutive partitions meet exactly: a gap is blocks no Store serves (shard-coverage checks the rendered ones too).
    if (next && partition.maxTime !== next.minTime)
      throw new ConfigError(
        `${field}.maxTime`,
        `'${partition.maxTime}' must equal the next partition's minTime '${next.minTime}', or blocks in between are served by no Store Gateway`,
      );
  });
  if (new Set(s.timePartitions.map((p) => p.name)).size !== s.timePartitions.length)
    throw new ConfigError('store.timePartitions', 'partition names must differ');
  if (s.timePartitions.length > 0 && (s.timePartitions[0].minTime !== '' || s.timePartitions[s.timePartitions.length - 1].maxTime !== '')) {
    throw new ConfigError(
      'store.timePartitions',
      'the first partition must start at the beginning of time (minTime "") and the last end at its end (maxTime ""), or the oldest or newest blocks are served by no Store Gateway',
    );
  }

  const c = stack.compact;
  positiveInteger('compact.shards', c.shards);
  if (c.shardLabel === '__block_id' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(c.shardLabel)) {
    throw new ConfigError(
      'compact.shardLabel',
      `'${c.shardLabel}' must be an external label name such as cluster; __block_id would split one producer's blocks across compactors`,
    );
  }

  if (c.shards > 1 && c.shardValues.length > 0 && c.shardValues.length < c.shards - 1) {
    throw new ConfigError(
      'compact.shardValues',
      `${c.shardValues.length} value(s) for ${c.shards} shards: shards ${c.shardValues.length} to ${c.shards - 2} would keep nothing; list at least ${c.shards - 1} values or lower compact.shards`,
    );
  }
  if (new Set(c.shardValues).size !== c.shardValues.length) throw new ConfigError('compact.shardValues', 'lists a value twice');

  const r = stack.receive;
  positiveInteger('receive.routers', r.routers, 0);
  percent('receive.retentionSizePercent', r.retentionSizePercent);
  percent('prometheus.retentionSizePercent', stack.prometheus.retentionSizePercent);
  if (r.hashrings.length > 0 && r.routers === 0)
    throw new ConfigError('receive.hashrings', 'per-tenant hashrings need routers (receive.routers > 0) to hash writes to them');
  const tenants = new Set<string>();
  r.hashrings.forEach((ring, i) => {
    if (!DNS_LABEL.test(ring.name) || ring.name.length > 30)
      throw new ConfigError(
        `receive.hashrings[${i}].name`,
        `'${ring.name}' must be a DNS label of at most 30 characters: it names a StatefulSet`,
      );
    if (ring.tenants.length === 0 && i !== r.hashrings.length - 1)
      throw new ConfigError(
        `receive.hashrings[${i}].tenants`,
        'is empty: a hashring for every other tenant must come last, or it takes the tenants of those after it',
      );
    for (const tenant of ring.tenants) {
      if (tenants.has(tenant)) throw new ConfigError(`receive.hashrings[${i}].tenants`, `tenant '${tenant}' is in two hashrings`);
      tenants.add(tenant);
    }
  });
  if (r.hashrings.length > 0 && r.hashrings[r.hashrings.length - 1].tenants.length > 0) {
    throw new ConfigError(
      'receive.hashrings',
      'the last hashring must have no tenants: it takes every tenant the others do not name (writes of any other tenant would be refused)',
    );
  }

  const cache = stack.cache;
  positiveInteger('cache.replicas', cache.replicas);
  if (!/^\d+[km]$/.test(cache.maxItemSize))
    throw new ConfigError('cache.maxItemSize', `'${cache.maxItemSize}' must be a memcached -I size such as 1m or 512k`);
  if (cache.backend === 'external' && cache.externalAddresses.length === 0)
    throw new ConfigError(
      'cache.externalAddresses',
      'is empty while cache.backend is external; give the memcached addresses (host:port, dns+host:port or dnssrv+_port._tcp.host)',
    );
  if (cache.backend !== 'external' && cache.externalAddresses.length > 0)
    throw new ConfigError('cache.externalAddresses', `is set while cache.backend is ${cache.backend}; set backend: 'external' to use them`);
  const priority = stack.placement.priorityClassName;
  if (priority !== '' && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(priority))
    throw new ConfigError('placement.priorityClassName', `'${priority}' is not a PriorityClass name`);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
