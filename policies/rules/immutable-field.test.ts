import { parse } from 'yaml';
import { policyTable } from '../testing/rule-cases.js';
import { immutableField } from './immutable-field.js';

const statefulSet = (size: string, storageClassName = 'standard', serviceName = 'prometheus') => `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: prometheus, namespace: monitoring-prod }
spec:
  replicas: 2
  serviceName: ${serviceName}
  selector: { matchLabels: { app: prometheus } }
  template:
    metadata: { labels: { app: prometheus } }
    spec: { containers: [{ name: prometheus, image: quay.io/prometheus/prometheus:v3.13.2 }] }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], storageClassName: ${storageClassName}, resources: { requests: { storage: ${size} } } }
`;
const deployment = (app: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: thanos-query, namespace: monitoring-prod }
spec:
  selector: { matchLabels: { app: ${app} } }
  template:
    metadata: { labels: { app: ${app} } }
    spec: { containers: [{ name: query, image: quay.io/thanos/thanos:v0.42.4 }] }
`;
const service = (spec: string) => `apiVersion: v1
kind: Service
metadata: { name: thanos-store, namespace: monitoring-prod }
spec: { ${spec}, ports: [{ name: grpc, port: 10901 }], selector: { app: store } }
`;
const claim = (size: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: thanos-data, namespace: monitoring-dev }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: ${size} } } }
`;

/** The base ref's render: the object as it was, keyed as check --changed-since keys it ('' is --file input). */
const base = (yaml: string) => {
  const o = parse(yaml);
  return { base: new Map([['', new Map([[`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, o]])]]) };
};

policyTable(immutableField, [
  { name: 'passes: the same claim template', yaml: statefulSet('50Gi'), settings: base(statefulSet('50Gi')), expect: {} },
  { name: 'passes: no base to compare with (check without --changed-since)', yaml: statefulSet('100Gi'), expect: {} },
  {
    name: 'fails: a bigger volume, with the resize-and-orphan steps for each replica',
    yaml: statefulSet('100Gi'),
    settings: base(statefulSet('50Gi')),
    expect: {
      'StatefulSet/prometheus': [
        /spec\.volumeClaimTemplates\[data\]\.storage: 50Gi -> 100Gi: the API server refuses the update .*allowVolumeExpansion.*patch pvc data-prometheus-0 .*"storage":"100Gi".*patch pvc data-prometheus-1 .*delete statefulset prometheus --cascade=orphan/s,
      ],
    },
  },
  {
    name: 'fails: a smaller volume needs new claims, and says what Prometheus loses',
    yaml: statefulSet('20Gi'),
    settings: base(statefulSet('50Gi')),
    expect: { 'StatefulSet/prometheus': [/storage: 50Gi -> 20Gi.*delete pvc data-prometheus-0.*blocks the sidecar has not uploaded/s] },
  },
  {
    name: 'fails: another StorageClass and another serviceName, one finding each',
    yaml: statefulSet('50Gi', 'fast', 'prometheus-operated'),
    settings: base(statefulSet('50Gi')),
    expect: {
      'StatefulSet/prometheus': [/storageClassName: standard -> fast.*new claim/s, /spec\.serviceName: prometheus -> prometheus-operated/],
    },
  },
  {
    name: "fails: a Deployment's selector",
    yaml: deployment('query-v2'),
    settings: base(deployment('query')),
    expect: { 'Deployment/thanos-query': [/spec\.selector: .*field is immutable.*delete deployment thanos-query/s] },
  },
  { name: "passes: a Deployment's template alone", yaml: deployment('query'), settings: base(deployment('query')), expect: {} },
  {
    name: 'fails: a headless Service turned into a LoadBalancer',
    yaml: service('type: LoadBalancer'),
    settings: base(service('clusterIP: None')),
    expect: { 'Service/thanos-store': [/headless.*LoadBalancer.*refuses/s] },
  },
  {
    name: 'passes: a ClusterIP Service turned into a LoadBalancer (the API server keeps its address)',
    yaml: service('type: LoadBalancer'),
    settings: base(service('type: ClusterIP')),
    expect: {},
  },
  {
    name: 'fails: a claim that shrinks; passes: one that grows',
    yaml: claim('5Gi'),
    settings: base(claim('10Gi')),
    expect: { 'PersistentVolumeClaim/thanos-data': [/storage: 10Gi -> 5Gi.*may not request less/s] },
  },
  { name: 'passes: a claim that grows', yaml: claim('20Gi'), settings: base(claim('10Gi')), expect: {} },
]);
