/**
 * Pinned releases. Every Thanos container in the stack runs the same image so that
 * the gRPC StoreAPI, the block format and the flags stay consistent across components.
 */
export const THANOS_VERSION = 'v0.42.4';
export const PROMETHEUS_VERSION = 'v3.13.2';

export const THANOS_IMAGE = `quay.io/thanos/thanos:${THANOS_VERSION}`;
export const PROMETHEUS_IMAGE = `quay.io/prometheus/prometheus:${PROMETHEUS_VERSION}`;

/** Name of the tool, written into every generated file header and the `part-of` label. */
export const PART_OF = 'thanos-ha';

/**
 * Watches mounted ConfigMaps and Secrets and POSTs the program's /-/reload when they change
 * (the reloader Prometheus Operator runs beside Thanos Ruler and Alertmanager).
 */
export const CONFIG_RELOADER_IMAGE = 'quay.io/prometheus-operator/prometheus-config-reloader:v0.89.0';
