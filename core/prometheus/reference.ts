import fieldReference from '../reference/prometheus-config-fields.json' with { type: 'json' };

/**
 * The Prometheus releases whose source the configuration field reference was read from
 * (core/reference/prometheus-config-fields.json), oldest first: a pin newer than the last one may
 * have fields the reference does not know, so `upgrade` refuses it and a test fails on it.
 */
export const PROMETHEUS_REFERENCE_RELEASES: readonly string[] = fieldReference.releases;
