import { crossSetTable } from '../testing/cross-set-cases.js';
import { POD_ENV, goodContainer, workload, yamlOf } from '../testing/fixtures.js';
import { fleetWiring } from './fleet-wiring.js';

/**
 * Rendered fleet members, small: each builder gives one overlay's objects as `check` reads them
 * (the labels the generator stamps on the Namespace, the exposure, the certificates, the workloads).
 * Options break one thing at a time.
 */
const FLEET = 'hub';
const tlsVolume = (secret: string) => [{ name: 'tls', secret: { secretName: secret } }];
const tlsMount = [{ name: 'tls', mountPath: '/tls' }];

const namespace = (role: string, cluster: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'monitoring',
    labels: { 'thanos-ha.dev/fleet': FLEET, 'thanos-ha.dev/fleet-role': role, 'thanos-ha.dev/cluster': cluster },
  },
});
const certificate = (name: string, secret: string, dnsNames?: string[]) => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name, namespace: 'monitoring' },
  spec: {
    secretName: secret,
    issuerRef: { name: 'thanos-fleet-ca', kind: 'ClusterIssuer' },
    ...(dnsNames ? { dnsNames } : { commonName: name }),
  },
});
const exposure = (component: string, address: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: `${component}-external`,
    namespace: 'monitoring',
    labels: { 'app.kubernetes.io/name': component },
    annotations: { 'thanos-ha.dev/exposed-address': address },
  },
  spec: { type: 'LoadBalancer', selector: { app: component }, ports: [{ port: 443, targetPort: 'grpc' }] },
});
const configMap = (name: string, key: string, text: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'monitoring' },
  data: { [key]: text },
});

/** A Prometheus with its sidecar, external labels cluster and prometheus_replica. */
function prometheus(cluster: string, objstore?: string) {
  const config = `global:\n  external_labels:\n    cluster: ${cluster}\n    prometheus_replica: $(POD_NAME)\nscrape_configs: []\n`;
  return [
    configMap('prometheus-config', 'prometheus.yaml.tmpl', config),
    ...(objstore
      ? [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'thanos-objstore', namespace: 'monitoring' },
            stringData: { 'objstore.yml': `type: GCS\nconfig:\n  bucket: ${objstore}\n` },
          },
        ]
      : []),
    workload({
      kind: 'StatefulSet',
      name: 'prometheus',
      containers: [
        goodContainer({
          name: 'prometheus',
          image: 'quay.io/prometheus/prometheus:v3.13.2',
          args: ['--config.file=/etc/prometheus/out/prometheus.yaml'],
        }),
        goodContainer({
          name: 'thanos-sidecar',
          args: [
            'sidecar',
            '--reloader.config-file=/etc/prometheus/config/prometheus.yaml.tmpl',
            ...(objstore ? ['--objstore.config-file=/etc/thanos/objstore.yml'] : []),
          ],
          env: POD_ENV,
          volumeMounts: [
            { name: 'config', mountPath: '/etc/prometheus/config' },
            ...(objstore ? [{ name: 'objstore', mountPath: '/etc/thanos' }] : []),
          ],
        }),
      ],
      volumes: [
        { name: 'config', configMap: { name: 'prometheus-config' } },
        ...(objstore ? [{ name: 'objstore', secret: { secretName: 'thanos-objstore' } }] : []),
      ],
    }),
  ];
}

interface LeafOptions {
  readonly cluster?: string;
  readonly tlsFlags?: boolean;
  readonly dnsNames?: string[];
  readonly objstore?: string;
}

function leaf(name: string, o: LeafOptions = {}): string {
  const host = `${name}.example.com`;
  return yamlOf(
    namespace('leaf', o.cluster ?? name),
    exposure('thanos-query', `${host}:443`),
    certificate('thanos-query-grpc-server', 'query-server-tls', o.dnsNames ?? [host]),
    workload({
      name: 'thanos-query',
      containers: [
        goodContainer({
          args: [
            'query',
            ...(o.tlsFlags === false
              ? []
              : ['--grpc-server-tls-cert=/tls/tls.crt', '--grpc-server-tls-key=/tls/tls.key', '--grpc-server-tls-client-ca=/tls/ca.crt']),
          ],
          volumeMounts: tlsMount,
        }),
      ],
      volumes: tlsVolume('query-server-tls'),
    }),
    ...prometheus(o.cluster ?? name, o.objstore),
  );
}

interface ObserverOptions {
  /** The leaves its Query dials, with the server name verified (default: the leaf's host). */
  readonly leaves?: ReadonlyArray<string | { readonly name: string; readonly serverName?: string; readonly withoutKey?: boolean }>;
  readonly receive?: boolean;
  readonly receiveLabels?: string[];
  readonly replicaLabels?: string[];
  readonly clientSecret?: boolean;
  readonly compact?: string;
  /** Receive split into routers (exposed, taking remote write) and ingestors (storing); `untls` leaves the routers without TLS. */
  readonly split?: 'tls' | 'untls';
}

/** Routers behind the exposure (app: thanos-receive) take the agents' remote write; ingestors only store. */
function splitReceive(tls: boolean) {
  const tlsArgs = tls
    ? [
        '--remote-write.server-tls-cert=/tls/tls.crt',
        '--remote-write.server-tls-key=/tls/tls.key',
        '--remote-write.server-tls-client-ca=/tls/ca.crt',
      ]
    : [];
  return [
    workload({
      name: 'thanos-receive-router',
      labels: { app: 'thanos-receive' },
      containers: [goodContainer({ args: ['receive', ...tlsArgs, '--receive.hashrings-file=/h/hashrings.json'], volumeMounts: tlsMount })],
      volumes: tlsVolume('receive-server-tls'),
    }),
    workload({
      kind: 'StatefulSet',
      name: 'thanos-receive-ingestor',
      containers: [
        goodContainer({
          args: ['receive', '--label=receive_replica="$(POD_NAME)"', '--receive.local-endpoint=$(POD_NAME):10901'],
          env: POD_ENV,
        }),
      ],
    }),
  ];
}

function observer(o: ObserverOptions = {}): string {
  const endpoints = (o.leaves ?? []).map((entry) => {
    const leafName = typeof entry === 'string' ? entry : entry.name;
    const spec: { readonly serverName?: string; readonly withoutKey?: boolean } = typeof entry === 'string' ? {} : entry;
    return {
      address: `${leafName}.example.com:443`,
      strict: true,
      client_config: {
        server_name: spec.serverName ?? `${leafName}.example.com`,
        tls_config: { ca_file: '/tls/ca.crt', cert_file: '/tls/tls.crt', ...(spec.withoutKey ? {} : { key_file: '/tls/tls.key' }) },
      },
    };
  });
  const sdConfig = yamlOf({ endpoints: [{ address: 'dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local' }, ...endpoints] });
  const replicaLabels = o.replicaLabels ?? ['prometheus_replica', 'receive_replica'];
  const receive = o.receive !== false;
  return yamlOf(
    namespace('observer', 'hub'),
    ...(o.clientSecret === false ? [] : [certificate('thanos-query-grpc-client', 'query-client-tls')]),
    workload({
      name: 'thanos-query',
      containers: [
        goodContainer({
          args: ['query', ...replicaLabels.map((l) => `--query.replica-label=${l}`), `--endpoint.sd-config=${sdConfig}`],
          volumeMounts: tlsMount,
        }),
      ],
      volumes: tlsVolume('query-client-tls'),
    }),
    ...(receive && o.split
      ? [
          exposure('thanos-receive', 'receive.hub.example.com:443'),
          certificate('thanos-receive-remote-write-server', 'receive-server-tls', ['receive.hub.example.com']),
          ...splitReceive(o.split === 'tls'),
        ]
      : []),
    ...(receive && !o.split
      ? [
          exposure('thanos-receive', 'receive.hub.example.com:443'),
          certificate('thanos-receive-remote-write-server', 'receive-server-tls', ['receive.hub.example.com']),
          workload({
            kind: 'StatefulSet',
            name: 'thanos-receive',
            containers: [
              goodContainer({
                args: [
                  'receive',
                  '--remote-write.server-tls-cert=/tls/tls.crt',
                  '--remote-write.server-tls-key=/tls/tls.key',
                  '--remote-write.server-tls-client-ca=/tls/ca.crt',
                  ...(o.receiveLabels ?? ['receive_replica="$(POD_NAME)"']).map((l) => `--label=${l}`),
                ],
                env: POD_ENV,
                volumeMounts: tlsMount,
              }),
            ],
            volumes: tlsVolume('receive-server-tls'),
          }),
        ]
      : []),
    ...(o.compact
      ? [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'thanos-objstore', namespace: 'monitoring' },
            stringData: { 'objstore.yml': `type: GCS\nconfig:\n  bucket: ${o.compact}\n` },
          },
          workload({
            kind: 'StatefulSet',
            name: 'thanos-compact',
            containers: [
              goodContainer({
                args: ['compact', '--objstore.config-file=/etc/thanos/objstore.yml'],
                volumeMounts: [{ name: 'objstore', mountPath: '/etc/thanos' }],
              }),
            ],
            volumes: [{ name: 'objstore', secret: { secretName: 'thanos-objstore' } }],
          }),
        ]
      : []),
  );
}

interface AgentOptions {
  readonly url?: string;
  readonly serverName?: string;
  readonly cluster?: string;
}

/** A Prometheus agent whose config the config reloader renders from a template. */
function agent(name: string, o: AgentOptions = {}): string {
  const config = [
    'global:',
    '  external_labels:',
    `    cluster: ${o.cluster ?? name}`,
    '    prometheus_replica: $(POD_NAME)',
    'scrape_configs: []',
    'remote_write:',
    `- url: ${o.url ?? 'https://receive.hub.example.com/api/v1/receive'}`,
    '  tls_config: {ca_file: /tls/ca.crt, cert_file: /tls/tls.crt, key_file: /tls/tls.key' +
      (o.serverName ? `, server_name: ${o.serverName}}` : '}'),
    '',
  ].join('\n');
  return yamlOf(
    namespace('agent', o.cluster ?? name),
    certificate('prometheus-remote-write-client', 'rw-client-tls'),
    configMap('prometheus-config', 'prometheus.yaml.tmpl', config),
    workload({
      kind: 'StatefulSet',
      name: 'prometheus',
      containers: [
        goodContainer({
          name: 'prometheus',
          image: 'quay.io/prometheus/prometheus:v3.13.2',
          args: ['--config.file=/etc/prometheus/out/prometheus.yaml', '--agent', '--storage.agent.path=/prometheus'],
          volumeMounts: tlsMount,
        }),
        goodContainer({
          name: 'config-reloader',
          image: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.90.1',
          args: ['--config-file=/etc/prometheus/config/prometheus.yaml.tmpl', '--config-envsubst-file=/etc/prometheus/out/prometheus.yaml'],
          env: POD_ENV,
          volumeMounts: [{ name: 'config', mountPath: '/etc/prometheus/config' }],
        }),
      ],
      volumes: [{ name: 'config', configMap: { name: 'prometheus-config' } }, ...tlsVolume('rw-client-tls')],
    }),
  );
}

crossSetTable(fleetWiring, [
  {
    name: 'passes: an observer dialling exactly its two leaves over TLS, one agent writing to its exposed Receive, labels apart',
    sets: { hub: observer({ leaves: ['north', 'south'] }), north: leaf('north'), south: leaf('south'), edge: agent('edge') },
    expect: {},
  },
  {
    name: 'passes: the observer checked alone cannot tell a leaf endpoint from a stray one, and says nothing',
    sets: { hub: observer({ leaves: ['north', 'gone'] }), other: yamlOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }) },
    expect: {},
  },
  {
    name: 'fails: a leaf missing from its observer; an endpoint that is no leaf',
    sets: { hub: observer({ leaves: ['north', 'stray'], receive: false }), north: leaf('north'), south: leaf('south') },
    expect: {
      'south Service/thanos-query-external': [
        /^error: leaf south \(south\.example\.com:443\) is missing from observer hub's Query endpoints/,
      ],
      'hub Deployment/thanos-query': [
        /^error: observer hub's Query dials stray\.example\.com:443, which is no leaf of fleet hub \(leaves: north at north\.example\.com:443, south at south\.example\.com:443\)/,
      ],
    },
  },
  {
    name: 'passes: a Receive split into routers and ingestors, the routers exposed with TLS and the ingestors plaintext inside',
    sets: { hub: observer({ split: 'tls' }), edge: agent('edge') },
    expect: {},
  },
  {
    name: 'fails: the exposed routers of a split Receive without TLS (the ingestors behind them need none)',
    sets: { hub: observer({ split: 'untls' }), edge: agent('edge') },
    expect: {
      'hub Deployment/thanos-receive-router': [
        /^error: observer hub's Receive \(remote write from agents\) has no --remote-write\.server-tls-cert/,
      ],
    },
  },
  {
    name: 'fails: an agent writing to the wrong Receive',
    sets: {
      hub: observer(),
      edge: agent('edge', { url: 'https://receive.elsewhere.example.com/api/v1/receive', serverName: 'receive.hub.example.com' }),
    },
    expect: {
      'edge StatefulSet/prometheus': [
        /^error: agent edge writes to https:\/\/receive\.elsewhere\.example\.com\/api\/v1\/receive, not to observer hub's Receive \(https:\/\/receive\.hub\.example\.com\/api\/v1\/receive\)/,
      ],
    },
  },
  {
    name: 'fails: an agent names an observer that runs no Receive',
    sets: { hub: observer({ receive: false }), edge: agent('edge') },
    expect: { 'hub Namespace/monitoring': [/^error: observer hub runs no Receive, but agent edge of fleet hub remote-writes to it/] },
  },
  {
    name: "fails: a server name that is not in the leaf's certificate; a client without its key; a leaf Query without TLS",
    sets: {
      hub: observer({
        leaves: [
          { name: 'north', serverName: 'thanos.north.example.com' },
          { name: 'south', withoutKey: true },
        ],
        receive: false,
      }),
      north: leaf('north'),
      south: leaf('south', { tlsFlags: false }),
    },
    expect: {
      'hub Deployment/thanos-query': [
        /^error: observer hub verifies server name thanos\.north\.example\.com for leaf north \(north\.example\.com:443\), which is not in leaf north's certificate thanos-query-grpc-server \(dnsNames: north\.example\.com\)/,
        /^error: observer hub's Query endpoint south\.example\.com:443 \(client_config\.tls_config\) has no key_file/,
      ],
      'south Deployment/thanos-query': [
        /^error: leaf south's Query \(gRPC to observer hub\) has no --grpc-server-tls-cert, --grpc-server-tls-key, --grpc-server-tls-client-ca/,
      ],
    },
  },
  {
    name: 'fails: a client certificate Secret that nothing produces',
    sets: { hub: observer({ leaves: ['north'], receive: false, clientSecret: false }), north: leaf('north') },
    expect: {
      'hub Deployment/thanos-query': [
        /^error: observer hub's Query endpoint north\.example\.com:443 \(client_config\.tls_config\): ca_file comes from Secret query-client-tls, which no Certificate \(or secret mode\) in hub produces/,
        /cert_file comes from Secret query-client-tls/,
        /key_file comes from Secret query-client-tls/,
      ],
    },
  },
  {
    name: 'fails: two leaves with the same cluster label',
    sets: {
      hub: observer({ leaves: ['north', 'south'], receive: false }),
      north: leaf('north'),
      south: leaf('south', { cluster: 'north' }),
    },
    expect: { 'south StatefulSet/prometheus': [/^error: leaf south and leaf north of fleet hub both label their data cluster="north"/] },
  },
  {
    name: "fails: the observer's Receive sets a cluster label an agent sets; its Query keeps a replica label",
    sets: {
      hub: observer({ receiveLabels: ['cluster="hub"', 'receive_replica="$(POD_NAME)"'], replicaLabels: ['receive_replica'] }),
      edge: agent('edge'),
    },
    expect: {
      'hub StatefulSet/thanos-receive': [
        /^error: observer hub's thanos receive sets label cluster, which agent edge's Prometheus agent sets too/,
      ],
      'hub Deployment/thanos-query': [
        /^error: observer hub's Query does not drop replica label prometheus_replica, which agent edge's Prometheus agent sets/,
      ],
    },
  },
  {
    name: 'fails: a leaf uploading to a bucket the observer does not compact',
    sets: {
      hub: observer({ leaves: ['north'], receive: false, compact: 'metrics-hub' }),
      north: leaf('north', { objstore: 'metrics-north' }),
    },
    expect: {
      'north StatefulSet/prometheus': [
        /^error: leaf north's Prometheus uploads to GCS metrics-north, which observer hub's compactor does not compact \(it compacts GCS metrics-hub\)/,
      ],
    },
  },
]);
