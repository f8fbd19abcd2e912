export * from './names.js';
export { prometheus, prometheusConfigTemplate, prometheusRules, prometheusIdentity, POD_NAME_PLACEHOLDER, PROMETHEUS_CONFIG_TEMPLATE_KEY, PROMETHEUS_RULES_KEY } from './prometheus.js';
export { query, queryEndpointConfig, replicaLabels, storeApiServices } from './query.js';
export { queryFrontend, queryUrl } from './query-frontend.js';
export { store } from './store.js';
export { compact } from './compact.js';
export { receive, hashringConfigMap, hashringEndpoints, localEndpoint, HASHRING_CONFIGMAP, HASHRING_KEY } from './receive.js';
export { ruler, rulerRules, alertmanagerTarget, RULER_RULES_KEY } from './ruler.js';
