import { describe } from 'vitest';
import { goodContainer, POD_ENV, workload, yamlOf } from '../testing/fixtures.js';
import { policyTable } from '../testing/rule-cases.js';
import { replicaLabels } from './replica-labels.js';

const promConfig = (labels: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'prom-cfg', namespace: 'monitoring' },
  data: { 'prometheus.yaml.tmpl': `global:\n  external_labels:\n${labels}\n` },
});
const prometheus = workload({
  kind: 'StatefulSet',
  name: 'prometheus',
  replicas: 2,
  containers: [
    goodContainer({ name: 'prometheus', image: 'quay.io/prometheus/prometheus:v3.1.0', args: ['--config.file=/etc/out/prometheus.yaml'] }),
    goodContainer({
      name: 'sidecar',
      args: [
        'sidecar',
        '--reloader.config-file',
        '/etc/prom/prometheus.yaml.tmpl',
        '--reloader.config-envsubst-file=/etc/out/prometheus.yaml',
      ],
      env: POD_ENV,
      volumeMounts: [{ name: 'cfg', mountPath: '/etc/prom' }],
    }),
  ],
  volumes: [{ name: 'cfg', configMap: { name: 'prom-cfg' } }],
});
const ruler = workload({
  kind: 'StatefulSet',
  name: 'rule',
  replicas: 2,
  containers: [goodContainer({ args: ['rule', '--label=rule_replica="$(POD_NAME)"', '--label', 'cluster="eu"'], env: POD_ENV })],
});
const receiveArgs = [
  '--receive.hashrings=[{"endpoints":["recv-0.recv:10901","recv-1.recv:10901"]}]',
  '--receive.local-endpoint=$(MY_POD).recv:10901',
  '--receive.replication-factor=2',
];
const receive = workload({
  kind: 'StatefulSet',
  name: 'recv',
  containers: [
    goodContainer({
      command: ['thanos', 'receive'],
      args: ['--label', "replica='$(MY_POD)'", ...receiveArgs],
      env: [{ name: 'MY_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    }),
  ],
});
const query = (name: string, args: string[]) => workload({ name, containers: [goodContainer({ args: ['query', ...args] })] });

policyTable(replicaLabels, [
  {
    name: 'passes: every per-pod label listed (repeated and comma-separated); cluster labels need not be',
    yaml: yamlOf(
      promConfig('    cluster: eu\n    prometheus_replica: $(POD_NAME)'),
      prometheus,
      ruler,
      receive,
      query('q', ['--query.replica-label=prometheus_replica,rule_replica', '--query.replica-label', 'replica']),
    ),
    expect: {},
  },
  {
    name: 'fails: Query without the Prometheus, ruler and receive replica labels',
    yaml: yamlOf(
      promConfig('    cluster: eu\n    replica: ${POD_NAME}'),
      prometheus,
      ruler,
      receive,
      query('q', ['--query.replica-label=prometheus_replica']),
    ),
    expect: {
      'Deployment/q': [
        /does not list replica, the per-replica label of Prometheus StatefulSet prometheus \(external label\), thanos receive StatefulSet recv/,
        /does not list rule_replica, the per-replica label of thanos rule StatefulSet rule/,
      ],
    },
  },
  {
    name: 'passes: a Query in another namespace is not told about a stack it does not read',
    yaml: yamlOf(
      ruler,
      workload({
        name: 'q',
        namespace: 'team-b',
        containers: [goodContainer({ args: ['query', '--query.replica-label=replica', '--endpoint=dnssrv+_grpc._tcp.store.team-b.svc'] })],
      }),
    ),
    expect: {},
  },
  {
    name: 'fails: a Query whose endpoints name another namespace reads its producers',
    yaml: yamlOf(
      ruler,
      workload({
        name: 'q',
        namespace: 'team-b',
        containers: [
          goodContainer({
            args: ['query', '--query.replica-label=replica', '--endpoint=dnssrv+_grpc._tcp.rule.monitoring.svc.cluster.local'],
          }),
        ],
      }),
    ),
    expect: { 'Deployment/q': [/does not list rule_replica, the per-replica label of thanos rule StatefulSet rule/] },
  },
  {
    name: "passes: a Receive router's --label reaches no series, and receivers without replication (factor 1) hold each series once",
    yaml: yamlOf(
      workload({
        name: 'router',
        containers: [
          goodContainer({
            args: [
              'receive',
              '--label=replica="$(POD_NAME)"',
              '--receive.hashrings-file=/etc/hashrings.json',
              '--receive.replication-factor=3',
            ],
            env: POD_ENV,
          }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'ingest',
        namespace: 'single',
        containers: [
          goodContainer({
            args: [
              'receive',
              '--label=replica="$(POD_NAME)"',
              '--receive.hashrings-file=/etc/hashrings.json',
              '--receive.local-endpoint=$(POD_NAME).ingest:10901',
            ],
            env: POD_ENV,
          }),
        ],
      }),
      workload({ name: 'q', namespace: 'single', containers: [goodContainer({ args: ['query'] })] }),
    ),
    expect: {},
  },
  {
    name: 'fails: receivers behind a router that replicates writes (factor 3) set a per-pod label Query does not list',
    yaml: yamlOf(
      workload({
        name: 'router',
        containers: [
          goodContainer({
            args: ['receive', '--receive.hashrings-file=/etc/hashrings.json', '--receive.replication-factor=3'],
            env: POD_ENV,
          }),
        ],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'ingest',
        containers: [goodContainer({ args: ['receive', '--label=receive_replica="$(POD_NAME)"'], env: POD_ENV })],
      }),
      query('q', []),
    ),
    expect: { 'Deployment/q': [/does not list receive_replica, the per-replica label of thanos receive StatefulSet ingest/] },
  },
]);

policyTable(replicaLabels, [
  {
    // pkg/strutil/labels.go:15-25 at Thanos v0.42.4: ParseFlagLabels splits each value on ',' and trims nothing,
    // so 'prometheus_replica, rule_replica' lists a label named ' rule_replica', which no series carries.
    name: 'fails: a space after the comma (T@v0.42.4 pkg/strutil/labels.go:15-25 splits without trimming)',
    yaml: yamlOf(
      promConfig('    cluster: eu\n    prometheus_replica: $(POD_NAME)'),
      prometheus,
      ruler,
      receive,
      query('spaced', ['--query.replica-label=prometheus_replica, rule_replica', '--query.replica-label=replica']),
    ),
    expect: {
      'Deployment/spaced': [
        /^error: container \w+: --query.replica-label does not list rule_replica, the per-replica label of thanos rule StatefulSet rule \(--label\) \(it lists ' rule_replica': Thanos splits the value on ',' without trimming spaces; write rule_replica without them\)$/,
      ],
    },
  },
  {
    name: 'passes: the same labels written without the space',
    yaml: yamlOf(
      promConfig('    cluster: eu\n    prometheus_replica: $(POD_NAME)'),
      prometheus,
      ruler,
      receive,
      query('tight', ['--query.replica-label=prometheus_replica,rule_replica', '--query.replica-label=replica']),
    ),
    expect: {},
  },
]);

describe('replica-labels (mutation)', () => {
  const inNs = (object: Record<string, unknown>, namespace: string | null) => {
    const metadata = { ...(object.metadata as Record<string, unknown>) };
    if (namespace === null) delete metadata.namespace;
    else metadata.namespace = namespace;
    return { ...object, metadata };
  };
  /** A Receive StatefulSet: `router` routes only, `ingestor` stores only, `both` does both (hashring and local endpoint). */
  const recv = (name: string, mode: 'router' | 'ingestor' | 'both', factor: number, label = true) =>
    workload({
      kind: 'StatefulSet',
      name,
      containers: [
        goodContainer({
          args: [
            'receive',
            ...(label ? ['--label=receive_replica="$(POD_NAME)"'] : []),
            ...(mode === 'ingestor' ? [] : ['--receive.hashrings-file=/etc/hashrings.json', `--receive.replication-factor=${factor}`]),
            ...(mode === 'router' ? [] : ['--receive.local-endpoint=$(POD_NAME).recv:10901']),
          ],
          env: POD_ENV,
        }),
      ],
    });
  const ruleIn = (namespace: string | null) => inNs(ruler, namespace);
  policyTable(replicaLabels, [
    {
      name: 'passes: a Query of another namespace whose endpoints name no Service of the stack; a Prometheus without a sidecar',
      yaml: yamlOf(
        ruleIn('team-a'),
        inNs(query('q', ['--endpoint=dnssrv+_grpc._tcp.thanos-store.team-b.svc.cluster.local']), 'team-b'),
        promConfig('    prometheus_replica: $(POD_NAME)'),
        workload({
          kind: 'StatefulSet',
          name: 'plain-prometheus',
          replicas: 2,
          containers: [
            goodContainer({
              name: 'prometheus',
              image: 'quay.io/prometheus/prometheus:v3.1.0',
              args: ['--config.file=/etc/prom/prometheus.yaml.tmpl'],
              volumeMounts: [{ name: 'cfg', mountPath: '/etc/prom' }],
            }),
          ],
          volumes: [{ name: 'cfg', configMap: { name: 'prom-cfg' } }],
        }),
        query('local', []),
      ),
      expect: {},
    },
    {
      name: 'fails: a Query reaching another namespace by SRV, a pod A record, or an https URL reads its producers',
      yaml: yamlOf(
        ruleIn('team-a'),
        inNs(query('srv', ['--endpoint=dnssrv+_grpc._tcp.rule.team-a.svc.cluster.local']), 'team-b'),
        inNs(query('pod', ['--endpoint=dns+rule-0.rule.team-a.svc.cluster.local:10901']), 'team-c'),
        inNs(query('url', ['--endpoint=https://rule.team-a.svc:10901']), 'team-d'),
      ),
      expect: {
        'Deployment/srv': [/does not list rule_replica, the per-replica label of thanos rule StatefulSet rule \(--label\)$/],
        'Deployment/pod': [/does not list rule_replica/],
        'Deployment/url': [/does not list rule_replica/],
      },
    },
    {
      name: 'Receive: replicated writes (router factor 3; a router-ingestor factor 2) make the ingestors producers; factor 1 does not; a router label reaches no series',
      yaml: yamlOf(
        inNs(recv('router', 'router', 3, true), 'rep'),
        inNs(recv('ingest', 'ingestor', 1), 'rep'),
        inNs(query('q-rep', []), 'rep'),
        inNs(recv('router', 'router', 1), 'single'),
        inNs(recv('ingest', 'ingestor', 1), 'single'),
        inNs(query('q-single', []), 'single'),
        // An ingestor ignores --receive.replication-factor (only a router's hashring replicates): nothing to deduplicate.
        inNs(
          workload({
            kind: 'StatefulSet',
            name: 'lone',
            containers: [
              goodContainer({
                args: [
                  'receive',
                  '--label=receive_replica="$(POD_NAME)"',
                  '--receive.replication-factor=3',
                  '--receive.local-endpoint=$(POD_NAME).lone:10901',
                ],
                env: POD_ENV,
              }),
            ],
          }),
          'ingest-only',
        ),
        inNs(query('q-ingest-only', []), 'ingest-only'),
        inNs(recv('both', 'both', 2), 'both'),
        inNs(query('q-both', []), 'both'),
      ),
      expect: {
        'Deployment/q-rep': [/does not list receive_replica, the per-replica label of thanos receive StatefulSet ingest \(--label\)$/],
        'Deployment/q-both': [/does not list receive_replica, the per-replica label of thanos receive StatefulSet both \(--label\)$/],
      },
    },
    {
      name: 'fails: manifests without namespaces (one stack): a replicated router makes its ingestors producers',
      yaml: yamlOf(inNs(recv('router', 'router', 3), null), inNs(recv('ingest', 'ingestor', 1), null), inNs(query('q-none', []), null)),
      expect: {
        'Deployment/q-none': [/does not list receive_replica, the per-replica label of thanos receive StatefulSet ingest \(--label\)$/],
      },
    },
  ]);
});
