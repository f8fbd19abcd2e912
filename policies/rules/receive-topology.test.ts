import { goodContainer, POD_ENV, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { receiveTopology } from './receive-topology.js';

const ring = (rings: { hashring: string; tenants?: string[]; endpoints: string[] }[]) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'hashring', namespace: 'monitoring' },
  data: { 'hashrings.json': JSON.stringify(rings) },
});
const service = (name: string, selector: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'monitoring' },
  spec: { clusterIP: 'None', selector, ports: [{ name: 'grpc', port: 10901 }] },
});
const hashringMount = { volumeMounts: [{ name: 'hr', mountPath: '/etc/hashring' }] };
const volumes = [{ name: 'hr', configMap: { name: 'hashring' } }];
const router = (extra: Partial<Parameters<typeof workload>[0]> = {}) =>
  workload({
    name: 'router',
    replicas: 2,
    containers: [
      goodContainer({
        args: ['receive', '--receive.hashrings-file=/etc/hashring/hashrings.json', '--receive.replication-factor=2'],
        env: POD_ENV,
        ...hashringMount,
      }),
    ],
    volumes,
    ...extra,
  });
const ingestor = (name: string, replicas = 2) =>
  workload({
    kind: 'StatefulSet',
    name,
    replicas,
    claims: ['data'],
    containers: [
      goodContainer({
        args: ['receive', '--tsdb.path=/data', `--receive.local-endpoint=$(POD_NAME).${name}.$(NAMESPACE).svc.cluster.local:10901`],
        env: POD_ENV,
      }),
    ],
  });
const pods = (name: string, n = 2) => Array.from({ length: n }, (_, i) => `${name}-${i}.${name}.monitoring.svc.cluster.local:10901`);
const query = (...services: string[]) =>
  workload({
    name: 'query',
    containers: [
      goodContainer({
        args: [
          'query',
          `--endpoint.sd-config=endpoints:\n${services.map((s) => `- address: dnssrv+_grpc._tcp.${s}.monitoring.svc.cluster.local`).join('\n')}`,
        ],
      }),
    ],
  });

policyTable(receiveTopology, [
  {
    name: 'passes: a router Deployment, two per-tenant ingestor rings listed exactly, Query reaching the ingestors',
    yaml: yamlOf(
      ring([
        { hashring: 'team-a', tenants: ['a'], endpoints: pods('ingest-a') },
        { hashring: 'default', endpoints: pods('ingest-b') },
      ]),
      router(),
      ingestor('ingest-a'),
      ingestor('ingest-b'),
      service('ingest-a', { app: 'ingest-a' }),
      service('ingest-b', { app: 'ingest-b' }),
      query('ingest-a', 'ingest-b'),
    ),
    expect: {},
  },
  {
    name: 'passes: no router (Receive that routes and ingests): nothing to check',
    yaml: yamlOf(ingestor('ingest-a'), query()),
    expect: {},
  },
  {
    name: 'fails: the router in its own hashring, an ingestor pod missing, a tenant in two rings, a router volume, Query on the router',
    yaml: yamlOf(
      ring([
        { hashring: 'team-a', tenants: ['a'], endpoints: [...pods('ingest-a', 1), 'router-0.router.monitoring.svc.cluster.local:10901'] },
        { hashring: 'team-b', tenants: ['a', 'b'], endpoints: pods('ingest-a', 1) },
      ]),
      router({ kind: 'StatefulSet', claims: ['data'] }),
      ingestor('ingest-a'),
      service('router', { app: 'router' }),
      query('router'),
    ),
    expect: {
      'StatefulSet/router': [
        /router router \(a hashring and no --receive.local-endpoint\) has a persistent volume \(data\)/,
        /hashring team-a lists router-0.router.monitoring.svc.cluster.local:10901, a pod of router router/,
        /tenant a is in hashrings team-a and team-b/,
        /ingestor pod ingest-a-1 is in no hashring of router router/,
      ],
      'Deployment/query': [/reach Receive router router, which holds no data/, /reach no pod of Receive ingestor ingest-a/],
    },
  },
]);
