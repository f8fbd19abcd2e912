import { describe } from 'vitest';
import { goodContainer, POD_ENV, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { receiveTopology } from './receive-topology.js';

const ring = (rings: { hashring: string; tenants?: string[]; endpoints: (string | { address: string; az?: string })[] }[]) => ({
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

describe('receive-topology (mutation)', () => {
  /** A router reading its hashring inline (kubelet substitutes $(NAMESPACE) in args, not in a ConfigMap). */
  const inlineRouter = (rings: unknown[]) =>
    workload({
      name: 'router',
      replicas: 2,
      containers: [goodContainer({ args: ['receive', `--receive.hashrings=${JSON.stringify(rings)}`], env: POD_ENV })],
    });
  const queryArgs = (...args: string[]) => workload({ name: 'query', containers: [goodContainer({ args: ['query', ...args] })] });

  policyTable(receiveTopology, [
    {
      // Thanos v0.42.4 pkg/receive/config.go:66-106: an endpoint is a string or an object {address, az}.
      name: 'passes: endpoints as {address, az} objects, and a Query reaching the ingestors by pod (also the short <pod>.<service> form the search path completes) and Service A records',
      yaml: yamlOf(
        ring([{ hashring: 'default', endpoints: pods('ingest-a').map((address, i) => ({ address, az: `zone-${i}` })) }]),
        router(),
        ingestor('ingest-a'),
        service('ingest-a', { app: 'ingest-a' }),
        // A Service without a selector (its EndpointSlices written by hand) selects no workload.
        { ...service('remote-store', {}), spec: { clusterIP: 'None', ports: [{ name: 'grpc', port: 10901 }] } },
        queryArgs(
          '--endpoint=dns+ingest-a-0.ingest-a.monitoring.svc.cluster.local:10901',
          '--endpoint=dns+ingest-a-1.ingest-a:10901',
          '--endpoint=dns+remote-store.monitoring.svc:10901',
          '--endpoint=dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local',
        ),
      ),
      expect: {},
    },
    {
      // The pod's resolv.conf searches <namespace>.svc.cluster.local first, so ingest-a-0.ingest-a is the pod of Service ingest-a.
      name: 'passes: a Query reaching the ingestors only by the short <pod>.<service> name',
      yaml: yamlOf(
        ring([{ hashring: 'default', endpoints: pods('ingest-a') }]),
        router(),
        ingestor('ingest-a'),
        service('ingest-a', { app: 'ingest-a' }),
        queryArgs('--endpoint=dns+ingest-a-0.ingest-a:10901', '--endpoint=dns+ingest-a-1.ingest-a:10901'),
      ),
      expect: {},
    },
    {
      name: 'passes: an inline hashring naming pods through $(NAMESPACE), and a Query on the short Service name',
      yaml: yamlOf(
        inlineRouter([
          { hashring: 'default', endpoints: [0, 1].map((i) => `ingest-a-${i}.ingest-a.$(NAMESPACE).svc.cluster.local:10901`) },
        ]),
        ingestor('ingest-a'),
        service('ingest-a', { app: 'ingest-a' }),
        queryArgs('--endpoint=dns+ingest-a:10901'),
      ),
      expect: {},
    },
    {
      name: 'fails: $(NAMESPACE) entries on the HTTP port 10902, and no hashring name: the pods of ingest-a and ingest-b-1 missing, the ring named #0',
      yaml: yamlOf(
        inlineRouter([
          { tenants: ['a'], endpoints: [0, 1].map((i) => `ingest-a-${i}.ingest-a.$(NAMESPACE).svc.cluster.local:10902`) },
          { hashring: 'b', tenants: ['a'], endpoints: pods('ingest-b', 1) },
        ]),
        ingestor('ingest-a'),
        ingestor('ingest-b'),
      ),
      expect: {
        'Deployment/router': [
          /^error: container app: tenant a is in hashrings #0 and b; its writes go to one of them only$/,
          /^error: container app: ingestor pods ingest-a-0, ingest-a-1, ingest-b-1 are in no hashring of router router: they receive no writes; derive the hashring from the ingestor StatefulSets$/,
        ],
      },
    },
    {
      name: 'fails: the router Service listed as a hashring entry; ingestors in another namespace are not asked for',
      yaml: yamlOf(
        ring([{ hashring: 'default', tenants: ['a', 'a'], endpoints: [...pods('ingest-a'), 'router.monitoring.svc.cluster.local:10901'] }]),
        router(),
        ingestor('ingest-a'),
        { ...ingestor('ingest-x'), metadata: { name: 'ingest-x', namespace: 'other' } },
      ),
      expect: {
        'Deployment/router': [
          /^error: container app: hashring default lists router\.monitoring\.svc\.cluster\.local:10901, a pod of router router: a router stores nothing and forwards again, so those writes loop or are lost; list only ingestor pods$/,
        ],
      },
    },
    {
      name: 'fails: a router Deployment with a PersistentVolumeClaim volume and an unreadable hashring (receive-hashring says why)',
      yaml: yamlOf(
        {
          ...ring([]),
          data: { 'hashrings.json': '- hashring: default\n  endpoints: [ingest-a-0.ingest-a.monitoring.svc.cluster.local:10901]\n' },
        },
        router({
          volumes: [
            ...volumes,
            { name: 'data', persistentVolumeClaim: { claimName: 'router-data' } },
            { name: 'wal', persistentVolumeClaim: { claimName: 'router-wal' } },
          ],
        }),
        ingestor('ingest-a'),
      ),
      expect: {
        'Deployment/router': [
          /^error: router router \(a hashring and no --receive\.local-endpoint\) has a persistent volume \(data, wal\): a router keeps no TSDB, so it holds storage for nothing; run it as a Deployment without one$/,
        ],
      },
    },
    {
      name: 'fails: an ingestor run as a Deployment; a Query that reaches neither ingestor, and the router through its Service',
      yaml: yamlOf(
        ring([{ hashring: 'default', endpoints: pods('ingest-a') }]),
        router(),
        ingestor('ingest-a'),
        workload({
          name: 'ingest-d',
          containers: [
            goodContainer({ args: ['receive', '--tsdb.path=/data', '--receive.local-endpoint=$(POD_NAME):10901'], env: POD_ENV }),
          ],
        }),
        service('router', { app: 'router' }),
        queryArgs('--endpoint=dns+router.monitoring.svc:10901'),
      ),
      expect: {
        'Deployment/ingest-d': [
          /^error: container app: an ingestor \(--receive\.local-endpoint\) in a Deployment: its pods have no stable DNS names for the hashring to list; run ingestors as a StatefulSet$/,
        ],
        'Deployment/query': [
          /^error: container app: its endpoints reach Receive router router, which holds no data: every query fans out to it for nothing; point Query at the ingestors' headless Service$/,
          /^error: container app: its endpoints reach no pod of Receive ingestors ingest-a, ingest-d: the newest samples written there are missing from every query$/,
        ],
      },
    },
    {
      name: 'fails: a hashring file that is a flat list of endpoints, or an entry with `adress`: no pod is in a hashring',
      yaml: yamlOf(
        {
          ...ring([]),
          data: {
            'hashrings.json': JSON.stringify([
              ...pods('ingest-a', 1),
              { hashring: 'b', endpoints: [{ adress: 'ingest-a-1.ingest-a.monitoring.svc.cluster.local:10901' }] },
            ]),
          },
        },
        router(),
        ingestor('ingest-a'),
      ),
      expect: {
        'Deployment/router': [
          /^error: container app: ingestor pods ingest-a-0, ingest-a-1 are in no hashring of router router: they receive no writes/,
        ],
      },
    },
    {
      name: 'fails: pod IPs and pods in namespace thanos (copied from a guide) list none of the pods in monitoring; $(NAMESPACE) ones do',
      yaml: yamlOf(
        inlineRouter([
          {
            hashring: 'default',
            endpoints: [
              'ingest-a-0.ingest-a.$(NAMESPACE).svc.cluster.local:10901',
              'ingest-a-1.ingest-a.$(NAMESPACE).svc.cluster.local:10901',
              '10.42.0.17:10901',
              'ingest-b-0.ingest-b.thanos.svc.cluster.local:10901',
              'ingest-b-1.ingest-b.thanos.svc.cluster.local:10901',
            ],
          },
        ]),
        ingestor('ingest-a'),
        ingestor('ingest-b'),
      ),
      expect: {
        'Deployment/router': [/^error: container app: ingestor pods ingest-b-0, ingest-b-1 are in no hashring of router router/],
      },
    },
    {
      name: "fails: router pods behind another headless Service, and an ingestor pod named under the router's Service",
      yaml: yamlOf(
        ring([
          {
            hashring: 'default',
            endpoints: [
              ...pods('ingest-a'),
              'router-0.router-headless.monitoring.svc.cluster.local:10901',
              'ingest-a-0.router.monitoring.svc.cluster.local:10901',
            ],
          },
        ]),
        router(),
        ingestor('ingest-a'),
      ),
      expect: {
        'Deployment/router': [
          /^error: container app: hashring default lists router-0\.router-headless\.monitoring\.svc\.cluster\.local:10901, a pod of router router/,
          /^error: container app: hashring default lists ingest-a-0\.router\.monitoring\.svc\.cluster\.local:10901, a pod of router router/,
        ],
      },
    },
    {
      name: 'passes: a Query reaching the ingestors through $(NAMESPACE), which kubelet substitutes in args',
      yaml: yamlOf(
        ring([{ hashring: 'default', endpoints: pods('ingest-a') }]),
        router(),
        ingestor('ingest-a'),
        service('ingest-a', { app: 'ingest-a' }),
        workload({
          name: 'query',
          containers: [
            goodContainer({ args: ['query', '--endpoint=dnssrv+_grpc._tcp.ingest-a.$(NAMESPACE).svc.cluster.local'], env: POD_ENV }),
          ],
        }),
      ),
      expect: {},
    },
  ]);
});
