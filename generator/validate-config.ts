import type { StackConfig } from './config.js';
import { ConfigError } from './lib/errors.js';
import { parseDuration } from './lib/duration.js';
import { imageTag } from './lib/labels.js';
import { quantityBytes, sidecarMemoryMiB } from './lib/sizing.js';
import { THANOS_VERSION } from './versions.js';

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
    throw new ConfigError('namespace', `'${stack.namespace}' must be a DNS label: lowercase letters, digits and '-', at most 63 characters`);
  }
  if (!DNS_LABEL.test(stack.instance)) throw new ConfigError('instance', `'${stack.instance}' must be a DNS label`);
  for (const [field, image] of [['thanosImage', stack.thanosImage], ['prometheusImage', stack.prometheusImage]] as const) {
    const tag = imageTag(image);
    if (tag === 'latest' && !image.includes('@sha256:')) {
      throw new ConfigError(field, `'${image}' is not pinned; give an exact tag such as :${THANOS_VERSION}`);
    }
  }
  const thanosTag = imageTag(stack.thanosImage);
  if (!thanosTag.startsWith(THANOS_VERSION.split('.').slice(0, 2).join('.'))) {
    throw new ConfigError('thanosImage', `tag ${thanosTag} is not in the pinned Thanos line ${THANOS_VERSION}; flags are checked against that version`);
  }
  if (!/^v3\./.test(imageTag(stack.prometheusImage))) {
    throw new ConfigError('prometheusImage', `tag ${imageTag(stack.prometheusImage)} is not a Prometheus v3 release`);
  }

  const p = stack.prometheus;
  positiveInteger('prometheus.replicas', p.replicas);
  const block = duration('prometheus.blockDuration', p.blockDuration);
  const retention = duration('prometheus.retention', p.retention);
  if (retention < 3 * block) {
    throw new ConfigError('prometheus.retention', `${p.retention} is shorter than 3 x blockDuration (${p.blockDuration}); the sidecar may lose blocks before it uploads them`);
  }
  duration('prometheus.scrapeInterval', p.scrapeInterval);
  for (const [key, value] of Object.entries(p.sidecarLimits)) positiveInteger(`prometheus.sidecarLimits.${key}`, value, 0);
  const needed = sidecarMemoryMiB(p.sidecarLimits);
  const limit = quantityBytes(p.sidecarResources.memoryLimit);
  if (needed !== undefined && (limit === undefined || limit < needed * 1024 * 1024)) {
    throw new ConfigError(
      'prometheus.sidecarResources.memoryLimit',
      `${p.sidecarResources.memoryLimit} is below the ${needed}Mi that sidecarLimits (${p.sidecarLimits.requestSeries} series, ${p.sidecarLimits.requestSamples} samples per request) need; raise it or lower the limits (generator/lib/sizing.ts)`,
    );
  }
  // The value goes into Prometheus' YAML and, quoted, into the Ruler's and Receive's --label flag.
  if (p.clusterLabel === '' || /["\\\n]/.test(p.clusterLabel)) {
    throw new ConfigError('prometheus.clusterLabel', `'${p.clusterLabel}' must be a non-empty label value without quotes, backslashes or line breaks, e.g. the overlay's cluster`);
  }

  positiveInteger('query.replicas', stack.query.replicas);
  duration('query.timeout', stack.query.timeout);
  positiveInteger('queryFrontend.replicas', stack.queryFrontend.replicas);
  duration('queryFrontend.splitInterval', stack.queryFrontend.splitInterval);
  positiveInteger('store.replicas', stack.store.replicas);

  const c = stack.compact;
  const raw = duration('compact.retentionRaw', c.retentionRaw);
  const fiveMinute = duration('compact.retention5m', c.retention5m);
  const oneHour = duration('compact.retention1h', c.retention1h);
  const forever = (ms: number) => (ms === 0 ? Number.POSITIVE_INFINITY : ms);
  if (forever(raw) > forever(fiveMinute) || forever(fiveMinute) > forever(oneHour)) {
    throw new ConfigError('compact.retention5m', `retention must not shrink with resolution: raw ${c.retentionRaw} <= 5m ${c.retention5m} <= 1h ${c.retention1h} (0 means forever)`);
  }
  positiveInteger('compact.concurrency', c.concurrency);
  const deleteDelay = duration('compact.deleteDelay', c.deleteDelay);
  const ignoreDelay = duration('store.ignoreDeletionMarksDelay', stack.store.ignoreDeletionMarksDelay);
  if (ignoreDelay >= deleteDelay) {
    throw new ConfigError('store.ignoreDeletionMarksDelay', `${stack.store.ignoreDeletionMarksDelay} must be below compact.deleteDelay (${c.deleteDelay}), about half of it, or Store reads blocks Compact already deleted`);
  }

  const r = stack.receive;
  positiveInteger('receive.replicas', r.replicas);
  positiveInteger('receive.replicationFactor', r.replicationFactor);
  if (r.replicationFactor > r.replicas) {
    throw new ConfigError('receive.replicationFactor', `${r.replicationFactor} exceeds receive.replicas (${r.replicas}); every write would fail`);
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
    throw new ConfigError('alertmanager.externalUrls', 'is set while alertmanager.enabled is true; alerts would go to two Alertmanagers. Set enabled: false to use the external one, or remove externalUrls');
  }
  // Without an Alertmanager every alert is dropped in silence: that is never a default. A Prometheus
  // agent without a Ruler evaluates no alerts at all (its data is alerted on in the observer).
  const alertsEvaluated = stack.prometheus.mode === 'server' || stack.ruler.enabled;
  if (!am.enabled && am.externalUrls.length === 0 && alertsEvaluated) {
    throw new ConfigError('alertmanager.externalUrls', 'is empty while alertmanager.enabled is false; give the URL of every replica of your Alertmanager, e.g. http://alertmanager-0.alertmanager.ops.svc:9093');
  }
  for (const url of am.externalUrls) {
    if (!isHttpUrl(url) || !new URL(url).port) {
      throw new ConfigError('alertmanager.externalUrls', `'${url}' is not an http(s) URL with host and port; use e.g. http://alertmanager-0.alertmanager.ops.svc:9093`);
    }
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
