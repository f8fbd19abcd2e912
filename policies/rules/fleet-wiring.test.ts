import { describe } from 'vitest';
import { parseAllDocuments } from 'yaml';
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
    ...(dnsNames?.length ? { dnsNames } : { commonName: name }),
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

/** A Prometheus with its sidecar, external labels cluster (unless undefined) and prometheus_replica. */
function prometheus(cluster: string | undefined, objstore?: string) {
  const config = `global:\n  external_labels:\n${cluster === undefined ? '' : `    cluster: ${cluster}\n`}    prometheus_replica: $(POD_NAME)\nscrape_configs: []\n`;
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
  /** false: the Prometheus external labels carry no cluster. */
  readonly clusterLabel?: false;
  /** Where the Query's TLS flags look for their files (default /tls, where the Secret is mounted). */
  readonly tlsDir?: string;
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
              : [
                  `--grpc-server-tls-cert=${o.tlsDir ?? '/tls'}/tls.crt`,
                  `--grpc-server-tls-key=${o.tlsDir ?? '/tls'}/tls.key`,
                  `--grpc-server-tls-client-ca=${o.tlsDir ?? '/tls'}/ca.crt`,
                ]),
          ],
          volumeMounts: tlsMount,
        }),
      ],
      volumes: tlsVolume('query-server-tls'),
    }),
    ...prometheus(o.clusterLabel === false ? undefined : (o.cluster ?? name), o.objstore),
  );
}

interface ObserverOptions {
  /** The leaves its Query dials, with the server name verified (default: the leaf's host). */
  readonly leaves?: ReadonlyArray<string | { readonly name: string; readonly serverName?: string; readonly withoutKey?: boolean }>;
  readonly receive?: boolean;
  readonly receiveLabels?: string[];
  /** The exposed Receive's host:port (default receive.hub.example.com:443). */
  readonly receiveAddress?: string;
  /** The Receive server certificate's dnsNames (default receive.hub.example.com; empty: a commonName only). */
  readonly receiveDnsNames?: string[];
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
          exposure('thanos-receive', o.receiveAddress ?? 'receive.hub.example.com:443'),
          certificate('thanos-receive-remote-write-server', 'receive-server-tls', o.receiveDnsNames ?? ['receive.hub.example.com']),
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
  /** false: no remote_write at all. */
  readonly url?: string | false;
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
    ...(o.url === false
      ? []
      : [
          'remote_write:',
          `- url: ${o.url ?? 'https://receive.hub.example.com/api/v1/receive'}`,
          '  tls_config: {ca_file: /tls/ca.crt, cert_file: /tls/tls.crt, key_file: /tls/tls.key' +
            (o.serverName ? `, server_name: ${o.serverName}}` : '}'),
        ]),
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

describe('fleet-wiring (mutation)', () => {
  /** A rendered set without some of its objects ("Kind/name"), as a user/ patch that deletes them leaves it. */
  const without = (yaml: string, ...drop: string[]) =>
    yamlOf(
      ...parseAllDocuments(yaml)
        .map((d) => d.toJS() as { kind: string; metadata: { name: string } })
        .filter((o) => !drop.includes(`${o.kind}/${o.metadata.name}`)),
    );
  /** A leaf's Ruler: its blocks carry `--label` external labels, rule_replica per pod. */
  const ruler = (labels: string[]) =>
    workload({
      kind: 'StatefulSet',
      name: 'thanos-rule',
      containers: [goodContainer({ args: ['rule', ...labels.map((l) => `--label=${l}`)], env: POD_ENV })],
    });

  crossSetTable(fleetWiring, [
    {
      name: 'fails: a leaf whose exposure was deleted, and the observer still dialling it (no leaf exposed at all)',
      sets: { hub: observer({ leaves: ['north'], receive: false }), north: without(leaf('north'), 'Service/thanos-query-external') },
      expect: {
        'north Namespace/monitoring': [
          /^error: leaf north exposes no Query to other clusters \(a LoadBalancer Service or TLSRoute to thanos-query\), so its observer hub cannot reach it$/,
        ],
        'hub Deployment/thanos-query': [
          /^error: observer hub's Query dials north\.example\.com:443, which is no leaf of fleet hub \(leaves: none exposed\)$/,
        ],
      },
    },
    {
      name: "fails: the observer's Receive exposed on 8443: an agent writing to the default port 443 misses it, one naming :8443 hits it",
      sets: {
        hub: observer({ receiveAddress: 'receive.hub.example.com:8443' }),
        edge: agent('edge', { url: 'https://receive.hub.example.com:8443/api/v1/receive' }),
        west: agent('west'),
      },
      expect: {
        'west StatefulSet/prometheus': [
          /^error: agent west writes to https:\/\/receive\.hub\.example\.com\/api\/v1\/receive, not to observer hub's Receive \(https:\/\/receive\.hub\.example\.com:8443\/api\/v1\/receive\)$/,
        ],
      },
    },
    {
      name: 'fails: an observer whose Receive exposure was deleted, three agents naming it, one of them writing nowhere',
      sets: {
        hub: without(observer(), 'Service/thanos-receive-external'),
        edge: agent('edge'),
        west: agent('west'),
        quiet: agent('quiet', { url: false }),
      },
      expect: {
        'hub Namespace/monitoring': [
          /^error: observer hub does not expose its Receive to other clusters, but agent edge, west, quiet remote-writes to it$/,
        ],
        'quiet Namespace/monitoring': [/^error: agent quiet remote-writes nowhere; it should write to observer hub's Receive$/],
      },
    },
    {
      name: "fails: an agent without remote_write is told the observer's exposed Receive URL",
      sets: { hub: observer(), edge: agent('edge', { url: false }) },
      expect: {
        'edge Namespace/monitoring': [
          /^error: agent edge remote-writes nowhere; it should write to observer hub's Receive \(https:\/\/receive\.hub\.example\.com\/api\/v1\/receive\)$/,
        ],
      },
    },
    {
      name: 'fails: a leaf Query reading its TLS files from /etc/tls while the Secret is mounted at /tls',
      sets: { hub: observer({ leaves: ['north'], receive: false }), north: leaf('north', { tlsDir: '/etc/tls' }) },
      expect: {
        'north Deployment/thanos-query': [
          /^error: leaf north's Query \(gRPC to observer hub\): --grpc-server-tls-cert \/etc\/tls\/tls\.crt is not in a mounted Secret$/,
          /^error: leaf north's Query \(gRPC to observer hub\): --grpc-server-tls-key \/etc\/tls\/tls\.key is not in a mounted Secret$/,
          /^error: leaf north's Query \(gRPC to observer hub\): --grpc-server-tls-client-ca \/etc\/tls\/ca\.crt is not in a mounted Secret$/,
        ],
      },
    },
    {
      name: 'fails: an agent verifying the in-cluster Service name, which the Receive certificate does not hold',
      sets: { hub: observer(), edge: agent('edge', { serverName: 'thanos-receive.monitoring.svc' }) },
      expect: {
        'edge StatefulSet/prometheus': [
          /^error: agent edge verifies server name thanos-receive\.monitoring\.svc for observer hub's Receive, which is not in its certificate thanos-receive-remote-write-server \(dnsNames: receive\.hub\.example\.com\)$/,
        ],
      },
    },
    {
      // Go verifies a host name against the SANs only (go.dev/doc/go1.15#commonname; the GODEBUG escape is gone
      // since Go 1.17): a certificate with only a commonName fails every TLS handshake of Thanos and Prometheus.
      name: 'fails: leaf and Receive certificates with only a commonName certify no name (dnsNames: none)',
      sets: {
        hub: observer({ leaves: ['north'], receiveDnsNames: [] }),
        north: leaf('north', { dnsNames: [] }),
        edge: agent('edge'),
      },
      expect: {
        'hub Deployment/thanos-query': [
          /^error: observer hub verifies server name north\.example\.com for leaf north \(north\.example\.com:443\), which is not in leaf north's certificate thanos-query-grpc-server \(dnsNames: none\): every query to it fails the TLS handshake$/,
        ],
        'edge StatefulSet/prometheus': [
          /^error: agent edge verifies server name receive\.hub\.example\.com for observer hub's Receive, which is not in its certificate thanos-receive-remote-write-server \(dnsNames: none\)$/,
        ],
      },
    },
    {
      name: 'fails: a leaf whose Prometheus external labels carry no cluster',
      sets: { hub: observer({ leaves: ['north'], receive: false }), north: leaf('north', { clusterLabel: false }) },
      expect: {
        'north Namespace/monitoring': [
          /^error: leaf north sends data to observer hub without a cluster label: the global view cannot tell its series from other clusters'$/,
        ],
      },
    },
    {
      name: 'passes: a leaf whose Prometheus is not rendered with it (only its Query) shows no labels to judge',
      sets: {
        hub: observer({ leaves: ['north'], receive: false }),
        north: without(leaf('north'), 'StatefulSet/prometheus', 'ConfigMap/prometheus-config'),
      },
      expect: {},
    },
    {
      name: 'passes: the observer runs its own Prometheus pair (cluster="hub") beside its Receive',
      sets: { hub: yamlOf(observer({ leaves: ['north'] }), ...prometheus('hub')), north: leaf('north'), edge: agent('edge') },
      expect: {},
    },
    {
      // Thanos v0.42.4 cmd/thanos/query.go:114 "Flag may be specified multiple times as well as a comma
      // separated list of labels"; pkg/strutil/labels.go:21 splits on "," alone, without trimming.
      name: "fails: the observer's Receive sets cluster, which a leaf's Prometheus and Ruler both set: one finding for the leaf; comma-separated replica labels count",
      sets: {
        hub: observer({
          leaves: ['north'],
          receiveLabels: ['cluster="hub"', 'receive_replica="$(POD_NAME)"'],
          replicaLabels: ['prometheus_replica,receive_replica,rule_replica'],
        }),
        north: yamlOf(leaf('north'), ruler(['cluster="north"', 'rule_replica="$(POD_NAME)"'])),
      },
      expect: {
        'hub StatefulSet/thanos-receive': [
          /^error: observer hub's thanos receive sets label cluster, which leaf north's Prometheus sets too: external labels overwrite series labels of the same name, so north's data would carry hub's value$/,
        ],
      },
    },
    {
      // pkg/strutil/labels.go:21 (v0.42.4): "prometheus_replica, receive_replica" names " receive_replica", with the space.
      name: 'fails: a space after the comma in --query.replica-label: Thanos keeps it in the name, and receive_replica is not dropped',
      sets: { hub: observer({ leaves: ['north'], replicaLabels: ['prometheus_replica, receive_replica'] }), north: leaf('north') },
      expect: {
        'hub Deployment/thanos-query': [
          /^error: observer hub's Query does not drop replica label receive_replica, which observer hub's thanos receive sets: its replicas' series are not deduplicated \(add --query\.replica-label=receive_replica\)$/,
        ],
      },
    },
    {
      name: 'fails: an observer without a compactor while two leaves upload blocks',
      sets: {
        hub: observer({ leaves: ['north', 'south'], receive: false }),
        north: leaf('north', { objstore: 'metrics' }),
        south: leaf('south', { objstore: 'metrics' }),
      },
      expect: {
        'hub Namespace/monitoring': [
          /^error: observer hub runs no compactor, but leaf north, south uploads blocks to the fleet's bucket: nobody compacts or downsamples them$/,
        ],
      },
    },
    {
      name: 'passes: leaves uploading to the bucket the observer compacts',
      sets: {
        hub: observer({ leaves: ['north', 'south'], receive: false, compact: 'metrics' }),
        north: leaf('north', { objstore: 'metrics' }),
        south: leaf('south', { objstore: 'metrics' }),
      },
      expect: {},
    },
  ]);
});
