import { policyTable } from '../testing/rule-cases.js';
import { loadBalancerSourceRanges } from './load-balancer-source-ranges.js';

const service = (spec: string, annotations = '') => `apiVersion: v1
kind: Service
metadata: { name: thanos-query-external, namespace: monitoring-eu${annotations ? `, annotations: { ${annotations} }` : ''} }
spec: { ${spec}, selector: { app: query }, ports: [{ name: grpc, port: 443, targetPort: grpc }] }
`;

policyTable(loadBalancerSourceRanges, [
  {
    name: 'passes: a LoadBalancer that names its clients',
    yaml: service("type: LoadBalancer, loadBalancerSourceRanges: ['203.0.113.0/24']"),
    expect: {},
  },
  {
    name: 'passes: the annotation form',
    yaml: service('type: LoadBalancer', "service.beta.kubernetes.io/load-balancer-source-ranges: '203.0.113.0/24'"),
    expect: {},
  },
  { name: 'passes: a ClusterIP Service needs none', yaml: service('type: ClusterIP'), expect: {} },
  {
    name: 'warns: a LoadBalancer open to every address',
    yaml: service('type: LoadBalancer'),
    expect: { 'Service/thanos-query-external': [/^warning: type LoadBalancer without loadBalancerSourceRanges: the cloud opens/] },
  },
]);
