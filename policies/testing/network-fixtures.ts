import { goodContainer, POD_ENV, workload } from './fixtures.js';

/** A Query, a Store behind a headless Service, a Query Frontend and the NetworkPolicies between them (network-policy and network-flow tests). */

export const ns = 'monitoring';
export const netpol = (name: string, podSelector: Record<string, unknown>, spec: Record<string, unknown>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec: { podSelector, ...spec },
});
export const defaultDeny = netpol('default-deny', {}, { policyTypes: ['Ingress', 'Egress'] });
export const headless = (name: string, app: string, ports: Array<[string, number]>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { clusterIP: 'None', selector: { app }, ports: ports.map(([n, p]) => ({ name: n, port: p, targetPort: n })) },
});
export const query = workload({
  name: 'query',
  containers: [
    goodContainer({
      name: 'query',
      env: POD_ENV,
      args: ['query', '--endpoint.sd-config=endpoints: [{address: "dnssrv+_grpc._tcp.store.$(NAMESPACE).svc.cluster.local"}]'],
    }),
  ],
});
export const store = workload({ kind: 'StatefulSet', name: 'store', containers: [goodContainer({ name: 'store', args: ['store'] })] });
export const frontend = workload({
  name: 'frontend',
  containers: [
    goodContainer({
      name: 'frontend',
      env: POD_ENV,
      args: ['query-frontend', '--query-frontend.downstream-url=http://query.$(NAMESPACE).svc.cluster.local:10902'],
    }),
  ],
});
export const queryService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'query', namespace: ns },
  spec: { selector: { app: 'query' }, ports: [{ name: 'http', port: 10902, targetPort: 'http' }] },
};
export const allowQueryToStore = [
  netpol(
    'query',
    { matchLabels: { app: 'query' } },
    {
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'store' } } }], ports: [{ protocol: 'TCP', port: 10901 }] }],
    },
  ),
  netpol(
    'store',
    { matchLabels: { app: 'store' } },
    {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'query' } } }], ports: [{ port: 'grpc' }] }],
    },
  ),
];
