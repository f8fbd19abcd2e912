export * from '../../core/names.js';
export {
  prometheus,
  prometheusConfigTemplate,
  prometheusIdentity,
  POD_NAME_PLACEHOLDER,
  PROMETHEUS_CONFIG_TEMPLATE_KEY,
} from './prometheus.js';
export { query, queryEndpointConfig, replicaLabels, storeApiServices } from './query.js';
export { queryFrontend, queryUrl } from './query-frontend.js';
export { store } from './store.js';
export { compact } from './compact.js';
export { receive, hashringConfigMap, hashringEndpoints, localEndpoint, HASHRING_CONFIGMAP, HASHRING_KEY } from './receive.js';
export { nodeExporter, nodeExporterIdentity, PRIVILEGED_LABELS } from './node-exporter.js';
export { kubeStateMetrics, kubeStateMetricsIdentity, KSM_RESOURCES } from './kube-state-metrics.js';
export { ruler } from './ruler.js';
export { alertmanager, alertmanagerPeers, ALERTMANAGER_CONFIG_KEY, ALERTMANAGER_CONFIG_SECRET } from './alertmanager.js';
