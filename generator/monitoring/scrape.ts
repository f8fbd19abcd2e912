import type { StackConfig } from '../model/stack.js';
import {
  ALERTMANAGER_NAME,
  COMPACT_NAME,
  MEMCACHED_EXPORTER_CONTAINER,
  MEMCACHED_NAME,
  PROMETHEUS_NAME,
  QUERY_FRONTEND_NAME,
  QUERY_NAME,
  RECEIVE_NAME,
  RULER_NAME,
  SHARD_LABEL,
  STORE_NAME,
} from '../../core/names.js';
import { MEMCACHED_PORTS, PORTS } from '../../core/ports.js';
import { clusterScrapeConfigs } from './cluster-scrape.js';
import { exactly, podLabelMeta, type RelabelConfig, type ScrapeConfig } from '../lib/prometheus-config.js';

/**
 * The `job` label of each component's metrics. Rules, dashboards and tests refer to these, never to
 * a string typed again; a job names the component, so one replica's series never hide behind another's.
 */
export const JOBS = {
  prometheus: 'prometheus',
  sidecar: 'thanos-sidecar',
  query: 'thanos-query',
  queryFrontend: 'thanos-query-frontend',
  store: 'thanos-store',
  compact: 'thanos-compact',
  receive: 'thanos-receive',
  rule: 'thanos-rule',
  alertmanager: 'alertmanager',
  memcached: 'memcached',
} as const;
export type JobKey = keyof typeof JOBS;
export type JobName = (typeof JOBS)[JobKey];

/** Which pods, container and port hold one component's metrics. */
export interface ComponentTarget {
  readonly job: JobName;
  /** `app.kubernetes.io/name` of the pods. */
  readonly appName: string;
  readonly container: string;
  /** Name of the container port serving /metrics. */
  readonly port: string;
}

/** Every component this stack runs, as a scrape target; optional components only when enabled. */
export function componentTargets(stack: StackConfig): ComponentTarget[] {
  const thanos = (job: JobName, appName: string): ComponentTarget => ({ job, appName, container: appName, port: PORTS.http.name });
  return [
    // Prometheus and its sidecar share pods but are two programs with two lifecycles: two jobs.
    { job: JOBS.prometheus, appName: PROMETHEUS_NAME, container: 'prometheus', port: PORTS.prometheusWeb.name },
    // An agent runs no sidecar.
    ...(stack.prometheus.mode === 'server'
      ? [{ job: JOBS.sidecar, appName: PROMETHEUS_NAME, container: 'thanos-sidecar', port: PORTS.http.name }]
      : []),
    ...(stack.query.enabled ? [thanos(JOBS.query, QUERY_NAME)] : []),
    ...(stack.queryFrontend.enabled ? [thanos(JOBS.queryFrontend, QUERY_FRONTEND_NAME)] : []),
    ...(stack.store.enabled ? [thanos(JOBS.store, STORE_NAME)] : []),
    ...(stack.compact.enabled ? [thanos(JOBS.compact, COMPACT_NAME)] : []),
    ...(stack.receive.enabled ? [thanos(JOBS.receive, RECEIVE_NAME)] : []),
    ...(stack.ruler.enabled ? [thanos(JOBS.rule, RULER_NAME)] : []),
    ...(stack.alertmanager.enabled
      ? [{ job: JOBS.alertmanager, appName: ALERTMANAGER_NAME, container: 'alertmanager', port: PORTS.alertmanagerWeb.name }]
      : []),
    // The stack's own caches, through the exporter beside each memcached (memcached speaks no HTTP).
    // An external cache is someone else's to scrape; its clients' side is in the Store's and Query
    // Frontend's own metrics either way.
    ...(stack.cache.backend === 'memcached'
      ? [{ job: JOBS.memcached, appName: MEMCACHED_NAME, container: MEMCACHED_EXPORTER_CONTAINER, port: MEMCACHED_PORTS.metrics.name }]
      : []),
  ];
}

/** The target label holding a sharded workload's shard (the pod label SHARD_LABEL). */
export const SHARD_TARGET_LABEL = 'shard';

/** Labels every target of ours carries: which pod and namespace the series came from. */
export const POD_LABELS: readonly RelabelConfig[] = [
  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
];

/**
 * One job per component, each pod scraped through its own IP (role pod): every replica is a target
 * of its own, ready or not, so `up` says which replica is gone. Both Prometheus replicas scrape
 * every pod, Prometheus itself included, so a replica's absence is seen by its peer.
 */
export function componentScrapeConfig(stack: StackConfig, target: ComponentTarget): ScrapeConfig {
  return {
    job_name: target.job,
    kubernetes_sd_configs: [{ role: 'pod', namespaces: { own_namespace: true } }],
    relabel_configs: [
      { source_labels: [podLabelMeta('app.kubernetes.io/name')], regex: exactly(target.appName), action: 'keep' },
      { source_labels: [podLabelMeta('app.kubernetes.io/instance')], regex: exactly(stack.instance), action: 'keep' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], regex: exactly(target.container), action: 'keep' },
      { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: exactly(target.port), action: 'keep' },
      // A finished pod keeps its IP in the API for a while; scraping it would only add noise.
      { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Succeeded|Failed', action: 'drop' },
      ...POD_LABELS,
      // The shard a sharded workload's pod belongs to (its StatefulSet's selector label, see
      // shardedWorkload): rules count compactors per shard. Unsharded pods have none, so no label.
      { source_labels: [podLabelMeta(SHARD_LABEL)], target_label: SHARD_TARGET_LABEL },
    ],
  };
}

/**
 * Workloads anywhere in the cluster that opt in with the conventional `prometheus.io/scrape`
 * annotation, on `prometheus.io/port` and `prometheus.io/path` when they say so. Discovery makes a
 * target per declared container port; with a port annotation every one of them is rewritten to
 * <pod IP>:<port>, and Prometheus keeps one target per identical address and labels: one per pod,
 * never one per gRPC port. Without it, ports named like gRPC are left out (they do not speak HTTP).
 */
export function annotatedPodsScrapeConfig(): ScrapeConfig {
  const annotation = (name: string) => `__meta_kubernetes_pod_annotation_prometheus_io_${name}`;
  return {
    job_name: 'kubernetes-pods',
    kubernetes_sd_configs: [{ role: 'pod' }],
    relabel_configs: [
      { source_labels: [annotation('scrape')], regex: 'true', action: 'keep' },
      { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Succeeded|Failed', action: 'drop' },
      // No port annotation: every declared port but gRPC ones (the port annotation, when set, wins below).
      { source_labels: [annotation('port'), '__meta_kubernetes_pod_container_port_name'], regex: ';(.*-)?grpc(-.*)?', action: 'drop' },
      {
        source_labels: ['__meta_kubernetes_pod_ip', annotation('port')],
        regex: '(.+);(\\d+)',
        replacement: '$1:$2',
        target_label: '__address__',
      },
      { source_labels: [annotation('path')], regex: '(.+)', target_label: '__metrics_path__' },
      { source_labels: [annotation('scheme')], regex: '(https?)', target_label: '__scheme__' },
      ...POD_LABELS,
    ],
  };
}

/**
 * Every scrape job, in a stable order: the stack's own components first, then the cluster's
 * (each addition is one more function and one more line here).
 */
export function scrapeConfigs(stack: StackConfig): ScrapeConfig[] {
  return [
    ...componentTargets(stack).map((target) => componentScrapeConfig(stack, target)),
    ...clusterScrapeConfigs(stack),
    annotatedPodsScrapeConfig(),
  ];
}
