/**
 * Object names and replica labels of every component, in one module so that each component
 * can refer to another's Service without importing it (and without typing a name twice).
 */
export const PROMETHEUS_NAME = 'prometheus';
export const QUERY_NAME = 'thanos-query';
export const QUERY_FRONTEND_NAME = 'thanos-query-frontend';
export const STORE_NAME = 'thanos-store';
export const COMPACT_NAME = 'thanos-compact';
export const RECEIVE_NAME = 'thanos-receive';
export const RULER_NAME = 'thanos-rule';
export const NODE_EXPORTER_NAME = 'node-exporter';
export const KUBE_STATE_METRICS_NAME = 'kube-state-metrics';
export const ALERTMANAGER_NAME = 'alertmanager';
/**
 * A second headless Service of the Alertmanager pods, web port only, that lists ready pods only:
 * the Ruler finds its Alertmanagers by DNS, and the gossip Service also lists pods not ready yet.
 */
export const ALERTMANAGER_READY_SERVICE = 'alertmanager-ready';
export const MEMCACHED_NAME = 'memcached';
/** The memcached_exporter container beside each memcached: the pod's only HTTP /metrics. */
export const MEMCACHED_EXPORTER_CONTAINER = 'memcached-exporter';
/** A split Receive's stateless routers; its ingestors keep RECEIVE_NAME (their headless Service and ServiceAccount). */
export const RECEIVE_ROUTER_NAME = 'thanos-receive-router';

/**
 * Pod label telling the shards of one component apart (Store and Compact shards, Receive
 * hashrings): each StatefulSet selects its own, the component's Service selects them all.
 */
export const SHARD_LABEL = 'thanos-ha.dev/shard';

/** External label that differs per Prometheus replica; Query drops it to merge the replicas' series. */
export const PROMETHEUS_REPLICA_LABEL = 'prometheus_replica';
export const RULER_REPLICA_LABEL = 'rule_replica';
export const RECEIVE_REPLICA_LABEL = 'receive_replica';

/** External label naming the cluster a series or block comes from; its value is the overlay's cluster. */
export const CLUSTER_LABEL = 'cluster';
/**
 * Annotation on a Ruler or Receive that serves other clusters' data too (and so carries no cluster
 * label); the `external-labels` rule reads it to tell such a component from one that forgot the label.
 */
export const DATA_SCOPE_ANNOTATION = 'thanos-ha.dev/data-scope';
export const FLEET_SCOPE = 'fleet';
