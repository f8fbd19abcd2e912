/**
 * Pinned releases. Every Thanos container in the stack runs the same image so that
 * the gRPC StoreAPI, the block format and the flags stay consistent across components.
 *
 * Each pin is an exported `<NAME>_IMAGE`: a literal `'<repository>:<tag>'`, or
 * `` `<repository>:${<NAME>_VERSION}` `` on the line right after its version constant.
 * `npm run upgrade -- --<name> <tag>` and Renovate's regex manager (renovate.json) read and change
 * the pins in these two forms only; a test fails on a pin they would miss.
 */
export const THANOS_VERSION = 'v0.42.4';
export const THANOS_IMAGE = `quay.io/thanos/thanos:${THANOS_VERSION}`;
export const PROMETHEUS_VERSION = 'v3.13.2';
export const PROMETHEUS_IMAGE = `quay.io/prometheus/prometheus:${PROMETHEUS_VERSION}`;
export const ALERTMANAGER_VERSION = 'v0.32.1';
export const ALERTMANAGER_IMAGE = `quay.io/prometheus/alertmanager:${ALERTMANAGER_VERSION}`;

/** Cluster metrics: node-exporter (a DaemonSet per node) and kube-state-metrics (object state). */
export const NODE_EXPORTER_VERSION = 'v1.12.1';
export const NODE_EXPORTER_IMAGE = `quay.io/prometheus/node-exporter:${NODE_EXPORTER_VERSION}`;
export const KUBE_STATE_METRICS_VERSION = 'v2.20.0';
export const KUBE_STATE_METRICS_IMAGE = `registry.k8s.io/kube-state-metrics/kube-state-metrics:${KUBE_STATE_METRICS_VERSION}`;

/**
 * Watches mounted ConfigMaps and Secrets and POSTs the program's /-/reload when they change
 * (the reloader Prometheus Operator runs beside Thanos Ruler and Alertmanager).
 */
export const CONFIG_RELOADER_IMAGE = 'quay.io/prometheus-operator/prometheus-config-reloader:v0.89.0';

/** Shared caches (cache.backend memcached): the official image, and Prometheus' exporter beside it. */
export const MEMCACHED_IMAGE = 'docker.io/library/memcached:1.6.45-alpine';
export const MEMCACHED_EXPORTER_IMAGE = 'quay.io/prometheus/memcached-exporter:v0.17.0';
