import { goodContainer, POD_ENV, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { networkPolicy } from './network-policy.js';

const ns = 'monitoring';
const netpol = (name: string, podSelector: Record<string, unknown>, spec: Record<string, unknown>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec: { podSelector, ...spec },
});
const defaultDeny = netpol('default-deny', {}, { policyTypes: ['Ingress', 'Egress'] });
const headless = (name: string, app: string, ports: Array<[string, number]>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { clusterIP: 'None', selector: { app }, ports: ports.map(([n, p]) => ({ name: n, port: p, targetPort: n })) },
});
const query = workload({
  name: 'query',
  containers: [
    goodContainer({
      name: 'query',
      env: POD_ENV,
      args: ['query', '--endpoint.sd-config=endpoints: [{address: "dnssrv+_grpc._tcp.store.$(NAMESPACE).svc.cluster.local"}]'],
    }),
  ],
});
const store = workload({ kind: 'StatefulSet', name: 'store', containers: [goodContainer({ name: 'store', args: ['store'] })] });
const frontend = workload({
  name: 'frontend',
  containers: [
    goodContainer({
      name: 'frontend',
      env: POD_ENV,
      args: ['query-frontend', '--query-frontend.downstream-url=http://query.$(NAMESPACE).svc.cluster.local:10902'],
    }),
  ],
});
const queryService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'query', namespace: ns },
  spec: { selector: { app: 'query' }, ports: [{ name: 'http', port: 10902, targetPort: 'http' }] },
};
const allowQueryToStore = [
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

policyTable(networkPolicy, [
  {
    name: 'passes: default deny, and the discovery flow allowed on both ends (by number and by port name)',
    yaml: yamlOf(defaultDeny, ...allowQueryToStore, headless('store', 'store', [['grpc', 10901]]), query, store),
    expect: {},
  },
  {
    name: 'passes: policies that do not isolate egress leave egress open',
    yaml: yamlOf(
      netpol('ingress-only', {}, { ingress: [{ from: [{ podSelector: {} }] }] }),
      headless('store', 'store', [['grpc', 10901]]),
      query,
      store,
    ),
    expect: {},
  },
  {
    name: 'fails: no NetworkPolicy selects a workload',
    yaml: yamlOf(
      netpol('store-only', { matchLabels: { app: 'store' } }, { policyTypes: ['Ingress'], ingress: [{}] }),
      store,
      workload({ name: 'lonely', containers: [goodContainer()] }),
    ),
    expect: { 'Deployment/lonely': [/no NetworkPolicy selects its pods/] },
  },
  {
    name: 'fails: default deny with no rule for the flow Query discovery needs',
    yaml: yamlOf(defaultDeny, headless('store', 'store', [['grpc', 10901]]), query, store),
    expect: {
      'Deployment/query': [
        /egress to StatefulSet store port 10901 \(grpc\) is not allowed.*dnssrv\+_grpc\._tcp\.store/,
        /StatefulSet store does not allow ingress from it on port 10901/,
      ],
    },
  },
  {
    name: 'fails: egress allowed on the wrong port; the frontend downstream URL blocked at Query',
    yaml: yamlOf(
      defaultDeny,
      netpol(
        'query',
        { matchLabels: { app: 'query' } },
        { policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'store' } } }], ports: [{ port: 10902 }] }] },
      ),
      netpol('store', { matchLabels: { app: 'store' } }, { ingress: [{ from: [{ podSelector: { matchLabels: { app: 'query' } } }] }] }),
      netpol('frontend', { matchLabels: { app: 'frontend' } }, { policyTypes: ['Egress'], egress: [{}] }),
      headless('store', 'store', [['grpc', 10901]]),
      queryService,
      query,
      store,
      frontend,
    ),
    expect: {
      'Deployment/query': [/egress to StatefulSet store port 10901 \(grpc\) is not allowed/],
      'Deployment/frontend': [/Deployment query does not allow ingress from it on port 10902 \(http\).*downstream-url/],
    },
  },
]);
