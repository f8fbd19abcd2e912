import type { StackConfig } from '../model/stack.js';
import { KUBE_STATE_METRICS_NAME, NODE_EXPORTER_NAME } from '../../core/names.js';
import { KSM_PORTS, NODE_EXPORTER_PORT } from '../../core/ports.js';
import { exactly, type RelabelConfig, type ScrapeConfig } from '../lib/prometheus-config.js';

/**
 * Scrape jobs for the cluster itself: the kubelet and cAdvisor on every node, node-exporter and
 * kube-state-metrics where the profile runs them. Jobs are named as upstream's dashboards and the
 * Kubernetes mixin expect them.
 */
export const CLUSTER_JOBS = {
  kubelet: 'kubelet',
  cadvisor: 'cadvisor',
  nodeExporter: 'node-exporter',
  kubeStateMetrics: 'kube-state-metrics',
} as const;

/** What Kubernetes mounts into every pod that has a token: the cluster CA and the ServiceAccount token. */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The node's name as a `node` label, so node, kubelet and cAdvisor series join on it. */
const NODE_FROM_NODE: RelabelConfig = { source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' };

/**
 * The kubelet's own HTTPS port (10250, from the Node's status), authenticated with Prometheus'
 * ServiceAccount token, which the ClusterRole allows to get nodes/metrics and nothing else there:
 * no API-server proxy (nodes/proxy would also allow exec into any pod).
 */
function kubeletJob(stack: StackConfig, job: string, metricsPath: string): ScrapeConfig {
  return {
    job_name: job,
    scheme: 'https',
    metrics_path: metricsPath,
    authorization: { credentials_file: `${SERVICE_ACCOUNT_DIR}/token` },
    tls_config: {
      ca_file: `${SERVICE_ACCOUNT_DIR}/ca.crt`,
      // Set from the overlay's platform (generator/model/platforms.ts): a kubelet without
      // serverTLSBootstrap serves a certificate it signed itself, which no CA file verifies, and every
      // target would be down. Skipping verification (as kube-prometheus v0.18.0 does,
      // jsonnet/kube-prometheus/components/k8s-control-plane.libsonnet:123,140) keeps encryption and the
      // token's narrow nodes/metrics grant; the API-server proxy would verify, but needs nodes/proxy,
      // which also allows exec into every pod, and sends every node's scrape through the API server.
      ...(stack.prometheus.kubeletInsecureSkipVerify ? { insecure_skip_verify: true } : {}),
    },
    kubernetes_sd_configs: [{ role: 'node' }],
    relabel_configs: [NODE_FROM_NODE],
  };
}

export function kubeletScrapeConfig(stack: StackConfig): ScrapeConfig {
  return kubeletJob(stack, CLUSTER_JOBS.kubelet, '/metrics');
}

/** Container metrics (CPU, memory, filesystem, network per container), served by the kubelet. */
export function cadvisorScrapeConfig(stack: StackConfig): ScrapeConfig {
  return kubeletJob(stack, CLUSTER_JOBS.cadvisor, '/metrics/cadvisor');
}

/** Keeps the endpoints of one Service (by its standard name and instance labels) on one named port. */
function serviceEndpoints(appName: string, instance: string, port: string): RelabelConfig[] {
  return [
    { source_labels: ['__meta_kubernetes_service_label_app_kubernetes_io_name'], regex: exactly(appName), action: 'keep' },
    { source_labels: ['__meta_kubernetes_service_label_app_kubernetes_io_instance'], regex: exactly(instance), action: 'keep' },
    { source_labels: ['__meta_kubernetes_endpointslice_port_name'], regex: exactly(port), action: 'keep' },
  ];
}

/** One target per node through node-exporter's headless Service (EndpointSlices, not the deprecated Endpoints). */
export function nodeExporterScrapeConfig(stack: StackConfig): ScrapeConfig {
  return {
    job_name: CLUSTER_JOBS.nodeExporter,
    kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: [stack.nodeExporter.namespace] } }],
    relabel_configs: [
      ...serviceEndpoints(NODE_EXPORTER_NAME, stack.instance, NODE_EXPORTER_PORT.name),
      { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
    ],
  };
}

/**
 * kube-state-metrics in the stack's namespace. Its series describe other objects and carry their
 * `namespace` and `pod` labels: honor_labels keeps those rather than the exporter's own.
 */
export function kubeStateMetricsScrapeConfig(stack: StackConfig): ScrapeConfig {
  return {
    job_name: CLUSTER_JOBS.kubeStateMetrics,
    honor_labels: true,
    kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { own_namespace: true } }],
    relabel_configs: serviceEndpoints(KUBE_STATE_METRICS_NAME, stack.instance, KSM_PORTS.metrics.name),
  };
}

/** The cluster's jobs, in a stable order; node-exporter and kube-state-metrics only where they run. */
export function clusterScrapeConfigs(stack: StackConfig): ScrapeConfig[] {
  return [
    kubeletScrapeConfig(stack),
    cadvisorScrapeConfig(stack),
    ...(stack.nodeExporter.enabled ? [nodeExporterScrapeConfig(stack)] : []),
    ...(stack.kubeStateMetrics.enabled ? [kubeStateMetricsScrapeConfig(stack)] : []),
  ];
}
